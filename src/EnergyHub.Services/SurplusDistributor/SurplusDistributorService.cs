using System.Globalization;
using EnergyHub.Commands;
using EnergyHub.Devices;
using EnergyHub.Site;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Services.SurplusDistributor;

/// <summary>
/// Shares solar surplus among consumers by priority (es-ESS's SolarOverheadDistributor; a consumer's draw counts as
/// budget only up to the allowance it was given, so one started by hand or by its own logic is no surplus): every tick it samples the grid
/// meter and the battery, every <see cref="SurplusDistributorOptions.CycleInterval"/> it hands out the surplus of their
/// medians through <see cref="SurplusDistributorController"/>, and then applies the allowances: a device that takes an
/// allowance (a wallbox, an es-ESS script as a <c>mqtt-scripted-consumer</c> device) gets it through the command gate, a
/// switch goes on once its Request is granted and off at 0. Without a fresh grid meter (or battery) reading every allowance
/// is 0. es-ESS's figures (<c>{TopicName}/Calculations/…</c>, each consumer's <c>Requests/{key}/Energy/…</c>) are offered
/// as <see cref="Published"/> values for the site's broker. On stop every allowance is 0 and every switch off. Each consumer's runtime and energy
/// (today, yesterday, total; local days) are counted every tick and kept in the journal every 5 minutes and on stop.
/// </summary>
public sealed class SurplusDistributorService(SurplusDistributorOptions options, TimeProvider time, ILogger logger,
    IServiceStateStore? state = null) : IService, IHasSettings, IHasStatus<SurplusStatus>, IHasPublishedValues
{
    private readonly ConsumerStatisticsBook _statistics = new(time.LocalTimeZone, options.Interval * 3);
    private readonly KeptState _kept = new(state, ServiceName, "statistics", "The consumers' statistics", TimeSpan.FromMinutes(5), logger);

    /// <summary>The name in <c>[Services]</c>.</summary>
    public const string ServiceName = "SurplusDistributor";

    private readonly SurplusDistributorController _controller = new(ReservationRule.Parse(options.Reservation), options.MarginW);
    private readonly List<double> _gridW = [];
    private readonly List<double> _headroomW = [];
    private readonly List<double> _batteryW = [];
    private readonly Dictionary<string, bool> _switchedOn = new(StringComparer.OrdinalIgnoreCase);
    private readonly CarFullDetector _carFull = new();
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _kinds = new(StringComparer.OrdinalIgnoreCase);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ConsumerMode> _modes = new(StringComparer.OrdinalIgnoreCase);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, double> _priorities = new(StringComparer.OrdinalIgnoreCase);
    private DateTimeOffset? _lastCycle;
    private SurplusInputs? _lastInputs;
    private volatile SurplusStatus? _status;

    /// <summary>Whether a device consumer takes part: its owner's switch (<c>{device}.Mode</c>, also <c>PUT /api/surplus/consumers/{key}/automatic</c>).</summary>
    public enum ConsumerMode
    {
        /// <summary>The distributor serves it.</summary>
        Automatic,
        /// <summary>Allowance 0: its owner runs it by hand.</summary>
        Manual,
    }

    /// <inheritdoc />
    /// <remarks>Per device consumer: <c>{device}.Mode</c> (Automatic or Manual) and <c>{device}.Priority</c>.</remarks>
    public IReadOnlyList<ServiceSetting> Settings => field ??= [.. options.Devices.Keys.SelectMany(id => new[]
    {
        ServiceSetting.Choice($"{id}.Mode", $"Whether the surplus distributor serves {id} (Automatic) or leaves it at 0 (Manual).",
            () => _modes.GetValueOrDefault(id), mode => _modes[id] = mode),
        ServiceSetting.Number($"{id}.Priority", $"{id}'s priority among the consumers: lower is served first.", 0, 1000,
            () => _priorities.TryGetValue(id, out var p) ? p : options.Devices[id].Priority ?? 50, priority => _priorities[id] = priority),
    })];

    /// <inheritdoc />
    public SurplusStatus? Status => _status;

    /// <inheritdoc />
    public string Name => ServiceName;

    /// <summary>The last cycle's decision, or null before the first.</summary>
    public SurplusCycle? LastCycle { get; private set; }

    /// <inheritdoc />
    public async Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        var consumers = Consumers(tick.Site);
        Count(tick.Now, consumers);
        var grid = tick.Site.Devices.GetValueOrDefault(options.GridMeter);
        var battery = options.Battery.Length == 0 ? null : tick.Site.Devices.GetValueOrDefault(options.Battery);
        if (grid is { Health: DeviceHealth.Online, Reading.Meter: { } meter })
        {
            _gridW.Add(meter.PowerW);
            _headroomW.Add(SiteBalance.PvHeadroomOf(tick.Site));
        }
        if (battery is { Health: DeviceHealth.Online, Reading.Battery: { } charge })
        {
            _batteryW.Add(charge.PowerW);
        }
        if (_lastCycle is { } last && tick.Now - last < options.CycleInterval)
        {
            return;
        }
        _lastCycle = tick.Now;

        var missing = _gridW.Count == 0 ? $"{DeviceWords.The("grid meter", options.GridMeter)} ({grid?.Health.ToString() ?? "missing"})"
            : options.Battery.Length > 0 && _batteryW.Count == 0 ? $"{DeviceWords.The("battery", options.Battery)} ({battery?.Health.ToString() ?? "missing"})"
            : null;
        var inputs = missing is not null ? null : new SurplusInputs(Median(_gridW), options.Battery.Length == 0 ? 0 : Median(_batteryW),
            battery?.Reading?.Battery?.SocPct, battery?.Reading?.Battery?.ChargeLimitW ?? battery?.Facts.Battery?.MaxChargeW ?? double.PositiveInfinity, consumers)
            { PvHeadroomW = Median(_headroomW) };
        var cycle = inputs is null
            ? _controller.Nothing(consumers.Select(c => c.Request.Key), $"no fresh reading of {missing}: nothing is handed out")
            : _controller.Decide(tick.Now, inputs);
        _gridW.Clear();
        _batteryW.Clear();
        _headroomW.Clear();
        LastCycle = cycle;
        _lastInputs = inputs;
        _status = StatusOf(tick.Now, cycle, consumers);
        await ApplyAsync(tick, cycle, cancellationToken).ConfigureAwait(false);
        tick.Decisions.Record(SurplusDecision.Of(missing is null ? "distributed" : "nothing: stale input", cycle));
    }

    /// <inheritdoc />
    public async Task StopAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        var cycle = _controller.Nothing(options.Devices.Keys, "EnergyHub stops: every allowance 0, every switch off");
        LastCycle = cycle;
        _lastInputs = null;
        _status = StatusOf(tick.Now, cycle, Consumers(tick.Site));
        _lastCycle = null;
        await ApplyAsync(tick, cycle, cancellationToken).ConfigureAwait(false);
        _kept.Stop(tick.Now, _statistics.Save);
        tick.Decisions.Record(SurplusDecision.Of("stopped", cycle));
    }

    // Above its cap exporting pays more than the consumer makes of the surplus; without a fresh price, surplus as ever.
    private static string? PricedOut(SurplusDeviceOptions device, double? feedInPerKwh, string currency) =>
        device.MaxFeedInPerKwh is { } cap && feedInPerKwh > cap
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"exporting pays {feedInPerKwh:0.###} {currency}/kWh now, above its MaxFeedInPerKwh {cap:0.###}: the surplus is worth more exported")
            : null;

    // Counts what every consumer draws; restores the kept statistics first, and keeps them every 5 minutes.
    private void Count(DateTimeOffset now, IReadOnlyList<SurplusConsumerState> consumers)
    {
        _kept.Tick(now, _statistics.Restore, _statistics.Save);
        foreach (var consumer in consumers)
        {
            _statistics.Add(consumer.Request.Key, now, consumer.ConsumptionW);
        }
    }

    private List<SurplusConsumerState> Consumers(SiteSnapshot site)
    {
        var consumers = new List<SurplusConsumerState>();
        var prices = options.Prices.Length == 0 ? null : site.Fresh(options.Prices, options.PricesStaleAfter)?.Prices;
        var (feedIn, currency) = (prices?.At(site.Now)?.FeedInPerKwh, prices?.Currency ?? "");
        foreach (var (id, device) in options.Devices)
        {
            var state = site.Devices.GetValueOrDefault(id);
            var request = Request(id, device, state);
            request = _priorities.TryGetValue(id, out var priority) ? request with { Priority = priority } : request;
            _kinds[id] = state?.Facts.Has<IConsumer>() == true ? "allowance" : state?.Facts.Has<ISwitch>() == true ? "switch" : "device";
            // A switch needs a Request from its section; a consumer that follows an allowance may ask for nothing now (an
            // es-ESS script's Request = 0), which is no fault of the config.
            var noRequest = request.Request <= 0 && state?.Facts.Has<IConsumer>() != true;
            var why = state is null ? $"no device '{id}': [{ServiceName}:{id}] names a device that is not configured"
                : !state.Facts.Has<ISwitch>() && !state.Facts.Has<IConsumer>() ? $"device '{id}' is neither a switch nor takes an allowance ({state.Facts.RoleNames})"
                : noRequest ? $"no Request for '{id}': set Request in [{ServiceName}:{id}]"
                : state.Health != DeviceHealth.Online ? $"device '{id}' is {state.Health}"
                : _modes.GetValueOrDefault(id) == ConsumerMode.Manual ? "Manual: its owner runs it"
                : state.Reading?.Consumer is { IsAutomatic: false } ? "not automatic: its own switch says it runs by hand (IsAutomatic = false)"
                : request.Request <= 0 ? $"asks for nothing now (Request 0; a Request in [{ServiceName}:{id}] sets one)"
                : _carFull.NothingToCharge(id, state.Reading?.Charger, Granted(id), site.Now);
            var misconfigured = why is not null && (state is null || noRequest || !state.Facts.Has<ISwitch>() && !state.Facts.Has<IConsumer>());
            if (misconfigured && _reported.Add(why!))
            {
                logger.LogError("{Problem}; fix the section in the config file", why);
            }
            var on = _switchedOn.GetValueOrDefault(id);
            var drawn = state?.Reading?.Consumer?.PowerW ?? state?.Reading?.Meter?.PowerW ?? (on ? request.Request : 0);
            consumers.Add(new SurplusConsumerState(request, Math.Max(0, drawn), new HoldTimes(device.MinOnTime, device.MinOffTime), why, Granted(id),
                PricedOut(device, feedIn, currency)));
        }
        return consumers;
    }

    private double Granted(string key) => LastCycle?.Allowances.GetValueOrDefault(key)?.W ?? 0;

    // A switch takes its whole Request at once; a device that follows an allowance fills in what is not set from its profile.
    private static SurplusRequest Request(string id, SurplusDeviceOptions device, DeviceState? state)
    {
        var profile = state?.Facts.Has<IConsumer>() == true ? state.Facts.Consumer : null;
        var request = device.Request ?? profile?.RequestW ?? 0;
        return profile is null
            ? new SurplusRequest(id, device.Priority ?? 50, request, request, 0, device.PriorityShift, device.IgnoreBatReservation)
            : new SurplusRequest(id, device.Priority ?? profile.Priority, request, device.StepSize ?? (profile.StepW > 0 ? profile.StepW : request),
                device.Minimum ?? profile.MinimumW, device.PriorityShift, device.IgnoreBatReservation);
    }

    private async Task ApplyAsync(ServiceTick tick, SurplusCycle cycle, CancellationToken cancellationToken)
    {
        foreach (var (id, device) in options.Devices)
        {
            var allowance = cycle.Allowances.GetValueOrDefault(id) ?? new AllowanceDecision(0, "not known");
            var state = tick.Site.Devices.GetValueOrDefault(id);
            if (state is null)
            {
                continue;
            }
            CommandResult result;
            if (state.Facts.Has<IConsumer>())
            {
                result = await tick.Commands.SendAsync(new SetAllowance(id, allowance.W, allowance.Why), cancellationToken).ConfigureAwait(false);
            }
            else if (state.Facts.Has<ISwitch>() && (allowance.W >= (device.Request ?? 0) || allowance.W == 0))
            {
                var on = allowance.W > 0;
                result = await tick.Commands.SendAsync(new SetSwitch(id, on, allowance.Why) { IsSafety = !on }, cancellationToken).ConfigureAwait(false);
                if (result.IsInEffect)
                {
                    _switchedOn[id] = on;
                }
            }
            else
            {
                continue;
            }
            if (!result.IsInEffect && result.Status != CommandStatus.RateLimited)
            {
                logger.LogWarning("{Device}: the allowance of {Allowance:0} W was not applied: {Status} {Detail}", id, allowance.W, result.Status, result.Detail);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>es-ESS's topics under <see cref="SurplusDistributorOptions.TopicName"/>: the last cycle's
    /// <c>Calculations/…</c> (W; feed-in +), each consumer's runtime (s) and energy (Wh) today, yesterday (local days) and in
    /// total, retained, and <c>LastUpdateTime</c>.</remarks>
    public IReadOnlyList<PublishedValue> Published
    {
        get
        {
            if (LastCycle is not { } cycle)
            {
                return [];
            }
            var values = new List<PublishedValue>();
            void Add(string path, double value, bool retain = false) =>
                values.Add(new PublishedValue($"{options.TopicName}/{path}", Math.Round(value, 1).ToString(CultureInfo.InvariantCulture), retain));
            Add("Calculations/OverheadAvailable", cycle.SurplusW);
            Add("Calculations/OverheadAssigned", cycle.AssignedW);
            Add("Calculations/OverheadRemaining", cycle.RemainingW);
            Add("Calculations/Battery/Reservation", cycle.ReservationW);
            if (_lastInputs is { } inputs)
            {
                Add("Calculations/Grid/TotalFeedIn", -inputs.GridW);
                Add("Calculations/Battery/Power", inputs.BatteryW);
                if (inputs.SocPct is { } soc)
                {
                    Add("Calculations/Battery/Soc", soc);
                }
            }
            foreach (var (key, stats) in _statistics.All)
            {
                foreach (var (name, value) in new[]
                {
                    ("runtimeToday", stats.RuntimeTodayS), ("runtimeYesterday", stats.RuntimeYesterdayS), ("runtimeTotal", stats.RuntimeTotalS),
                    ("energyToday", stats.EnergyTodayWh), ("energyYesterday", stats.EnergyYesterdayWh), ("energyTotal", stats.EnergyTotalWh),
                })
                {
                    Add($"Requests/{key}/Energy/{name}", value, retain: true);
                }
            }
            if (_status is { } status)
            {
                values.Add(new PublishedValue($"{options.TopicName}/LastUpdateTime", status.CycleAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
                values.Add(new PublishedValue($"{options.TopicName}/LastUpdateDateTime", status.CycleAt.ToString("O", CultureInfo.InvariantCulture)));
            }
            return values;
        }
    }

    private SurplusStatus StatusOf(DateTimeOffset now, SurplusCycle cycle, IReadOnlyList<SurplusConsumerState> consumers)
    {
        return new SurplusStatus(now, cycle.SurplusW, cycle.ReservationW, cycle.AssignedW, cycle.RemainingW, [.. consumers
            .OrderBy(c => c.Request.Priority)
            .Select(c =>
            {
                var key = c.Request.Key;
                var allowance = cycle.Allowances.GetValueOrDefault(key) ?? new AllowanceDecision(0, "not decided yet");
                return new SurplusConsumerStatus(key, key, _kinds.GetValueOrDefault(key, "device"), c.NotTakingPart is null, c.Request.Priority, c.Request.Request, allowance.W, c.ConsumptionW, allowance.Why,
                    _statistics.All.GetValueOrDefault(key) ?? ConsumerStatistics.Zero);
            })]);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
