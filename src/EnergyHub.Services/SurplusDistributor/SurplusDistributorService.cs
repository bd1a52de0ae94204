using System.Globalization;
using System.Text;
using EnergyHub.Commands;
using EnergyHub.Devices;
using EnergyHub.Protocols.Mqtt;
using EnergyHub.Site;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Services.SurplusDistributor;

/// <summary>
/// Shares solar surplus among consumers by priority (es-ESS's SolarOverheadDistributor; a consumer's draw counts as
/// budget only up to the allowance it was given, so one started by hand or by its own logic is no surplus): every tick it samples the grid
/// meter and the battery, every <see cref="SurplusDistributorOptions.CycleInterval"/> it hands out the surplus of their
/// medians through <see cref="SurplusDistributorController"/>, and then applies the allowances: a device that takes an
/// allowance gets it through the command gate, a switch goes on once its Request is granted and off at 0, a scripted
/// consumer reads it from <c>{prefix}/{TopicName}/Requests/{key}/Allowance</c>. Without a fresh grid meter (or battery)
/// reading every allowance is 0. On stop every allowance is 0 and every switch off. Each consumer's runtime and energy
/// (today, yesterday, total; local days) are counted every tick and kept in the journal every 5 minutes and on stop.
/// </summary>
public sealed class SurplusDistributorService(SurplusDistributorOptions options, MqttSite? mqtt, TimeProvider time, ILogger logger,
    IServiceStateStore? state = null) : IService, IHasSettings, IHasStatus<SurplusStatus>
{
    private readonly ConsumerStatisticsBook _statistics = new(time.LocalTimeZone, options.Interval * 3);
    private readonly KeptState _kept = new(state, ServiceName, "statistics", "The consumers' statistics", TimeSpan.FromMinutes(5), logger);

    /// <summary>The name in <c>[Services]</c>.</summary>
    public const string ServiceName = "SurplusDistributor";

    private readonly SurplusDistributorController _controller = new(ReservationRule.Parse(options.Reservation), options.MarginW);
    private readonly ScriptedConsumers _scripted = new();
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
    private bool _subscribed;
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

    /// <summary>The scripted consumers registered over MQTT.</summary>
    public ScriptedConsumers Scripted => _scripted;

    private string Topic => mqtt is null ? "" : $"{mqtt.TopicPrefix}/{options.TopicName}";

    /// <inheritdoc />
    public async Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        if (!_subscribed && mqtt is not null)
        {
            await mqtt.Bus.SubscribeAsync($"{Topic}/Requests/+/+", OnRequestField, cancellationToken).ConfigureAwait(false);
            _subscribed = true;
        }
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
        _status = StatusOf(tick.Now, cycle, consumers);
        await ApplyAsync(tick, cycle, cancellationToken, inputs).ConfigureAwait(false);
        tick.Decisions.Record(SurplusDecision.Of(missing is null ? "distributed" : "nothing: stale input", cycle));
    }

    /// <inheritdoc />
    public async Task StopAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        var keys = options.Devices.Keys.Concat(_scripted.All.Select(c => c.Key));
        var cycle = _controller.Nothing(keys, "EnergyHub stops: every allowance 0, every switch off");
        LastCycle = cycle;
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
            var why = state is null ? $"no device '{id}': [{ServiceName}:{id}] names a device that is not configured"
                : !state.Facts.Has<ISwitch>() && !state.Facts.Has<IConsumer>() ? $"device '{id}' is neither a switch nor takes an allowance ({state.Facts.RoleNames})"
                : request.Request <= 0 ? $"no Request for '{id}': set Request in [{ServiceName}:{id}]"
                : state.Health != DeviceHealth.Online ? $"device '{id}' is {state.Health}"
                : _modes.GetValueOrDefault(id) == ConsumerMode.Manual ? "Manual: its owner runs it"
                : _carFull.NothingToCharge(id, state.Reading?.Charger, Granted(id), site.Now);
            var misconfigured = why is not null && (state is null || request.Request <= 0 || !state.Facts.Has<ISwitch>() && !state.Facts.Has<IConsumer>());
            if (misconfigured && _reported.Add(why!))
            {
                logger.LogError("{Problem}; fix the section in the config file", why);
            }
            var on = _switchedOn.GetValueOrDefault(id);
            var drawn = state?.Reading?.Consumer?.PowerW ?? state?.Reading?.Meter?.PowerW ?? (on ? request.Request : 0);
            consumers.Add(new SurplusConsumerState(request, Math.Max(0, drawn), new HoldTimes(device.MinOnTime, device.MinOffTime), why, Granted(id),
                PricedOut(device, feedIn, currency)));
        }
        foreach (var scripted in _scripted.All)
        {
            var stale = scripted.ConsumptionAt is { } at && time.GetUtcNow() - at > options.ConsumerStaleAfter;
            var why = !scripted.IsScriptedConsumer ? "it has not published IsScriptedConsumer = true"
                : !scripted.IsAutomatic ? "not automatic (IsAutomatic = false)"
                : null;
            consumers.Add(new SurplusConsumerState(scripted.Request, stale ? 0 : scripted.ConsumptionW, HoldTimes.None, why, Granted(scripted.Key)));
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

    private async Task ApplyAsync(ServiceTick tick, SurplusCycle cycle, CancellationToken cancellationToken, SurplusInputs? inputs = null)
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
        if (mqtt is null)
        {
            return;
        }
        var stamp = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        foreach (var scripted in _scripted.All)
        {
            var allowance = cycle.Allowances.GetValueOrDefault(scripted.Key)?.W ?? 0;
            await PublishAsync($"Requests/{scripted.Key}/Allowance", allowance, MqttQos.AtLeastOnce, cancellationToken).ConfigureAwait(false);
            await PublishAsync($"Requests/{scripted.Key}", stamp, MqttQos.AtMostOnce, cancellationToken).ConfigureAwait(false);
        }
        foreach (var (key, stats) in _statistics.All)
        {
            await PublishStatisticsAsync(key, stats, cancellationToken).ConfigureAwait(false);
        }
        await PublishAsync("Calculations/OverheadAvailable", cycle.SurplusW, MqttQos.AtMostOnce, cancellationToken).ConfigureAwait(false);
        await PublishAsync("Calculations/OverheadAssigned", cycle.AssignedW, MqttQos.AtMostOnce, cancellationToken).ConfigureAwait(false);
        await PublishAsync("Calculations/OverheadRemaining", cycle.RemainingW, MqttQos.AtMostOnce, cancellationToken).ConfigureAwait(false);
        await PublishAsync("Calculations/Battery/Reservation", cycle.ReservationW, MqttQos.AtMostOnce, cancellationToken).ConfigureAwait(false);
        if (inputs is not null)
        {
            await PublishAsync("Calculations/Grid/TotalFeedIn", -inputs.GridW, MqttQos.AtMostOnce, cancellationToken).ConfigureAwait(false);
            await PublishAsync("Calculations/Battery/Power", inputs.BatteryW, MqttQos.AtMostOnce, cancellationToken).ConfigureAwait(false);
            if (inputs.SocPct is { } soc)
            {
                await PublishAsync("Calculations/Battery/Soc", soc, MqttQos.AtMostOnce, cancellationToken).ConfigureAwait(false);
            }
        }
        var now = time.GetUtcNow();
        await PublishAsync("LastUpdateTime", now.ToUnixTimeSeconds(), MqttQos.AtMostOnce, cancellationToken).ConfigureAwait(false);
        await PublishAsync("LastUpdateDateTime", now.ToString("O", CultureInfo.InvariantCulture), MqttQos.AtMostOnce, cancellationToken).ConfigureAwait(false);
    }

    private Task<bool> PublishAsync(string subtopic, object value, MqttQos qos, CancellationToken cancellationToken, bool retain = false)
    {
        var text = value is double w ? Math.Round(w, 1).ToString(CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture)!;
        return mqtt!.Bus.PublishAsync(new MqttMessage($"{Topic}/{subtopic}", Encoding.UTF8.GetBytes(text), qos, retain), cancellationToken);
    }

    // es-ESS's statistics topics, retained; runtime in s, energy in Wh.
    private async Task PublishStatisticsAsync(string key, ConsumerStatistics stats, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in new[]
        {
            ("runtimeToday", stats.RuntimeTodayS), ("runtimeYesterday", stats.RuntimeYesterdayS), ("runtimeTotal", stats.RuntimeTotalS),
            ("energyToday", stats.EnergyTodayWh), ("energyYesterday", stats.EnergyYesterdayWh), ("energyTotal", stats.EnergyTotalWh),
        })
        {
            await PublishAsync($"Requests/{key}/Energy/{name}", value, MqttQos.AtMostOnce, cancellationToken, retain: true).ConfigureAwait(false);
        }
    }

    private Task OnRequestField(MqttMessage message)
    {
        var parts = message.Topic[(Topic.Length + "/Requests/".Length)..].Split('/');
        if (parts.Length == 2 && _scripted.Apply(parts[0], parts[1], message.Text, time.GetUtcNow()) is { } problem && _reported.Add(problem))
        {
            logger.LogWarning("Scripted consumer {Problem}; the field keeps its last value", problem);
        }
        return Task.CompletedTask;
    }

    private SurplusStatus StatusOf(DateTimeOffset now, SurplusCycle cycle, IReadOnlyList<SurplusConsumerState> consumers)
    {
        var names = _scripted.All.ToDictionary(c => c.Key, c => c.CustomName, StringComparer.Ordinal);
        return new SurplusStatus(now, cycle.SurplusW, cycle.ReservationW, cycle.AssignedW, cycle.RemainingW, [.. consumers
            .OrderBy(c => c.Request.Priority)
            .Select(c =>
            {
                var key = c.Request.Key;
                var allowance = cycle.Allowances.GetValueOrDefault(key) ?? new AllowanceDecision(0, "not decided yet");
                var scripted = !options.Devices.ContainsKey(key);
                var kind = scripted ? "scripted" : _kinds.GetValueOrDefault(key, "device");
                var name = scripted && names.GetValueOrDefault(key) is { Length: > 0 } custom ? custom : key;
                return new SurplusConsumerStatus(key, name, kind, c.NotTakingPart is null, c.Request.Priority, c.Request.Request, allowance.W, c.ConsumptionW, allowance.Why,
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
