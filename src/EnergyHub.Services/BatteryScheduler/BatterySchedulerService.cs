using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EnergyHub.Commands;
using EnergyHub.Devices;
using EnergyHub.Readings;
using EnergyHub.Site;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Services.BatteryScheduler;

/// <summary>
/// Plans the battery over the published prices and puts it into the mode of the slot it is in: every tick it counts
/// PV and load into <see cref="SiteHistory"/>, re-plans when a new slot starts, the prices change or the state of charge
/// is <see cref="BatterySchedulerOptions.ReplanSocDeviationPct"/> off the plan, and sends <see cref="SetBatteryMode"/>
/// through the gate. A stale battery, meter or price reading puts the battery back to self-consumption; a battery
/// temperature or voltage, or a grid voltage, outside its limits stops grid charging (a value not read is not a
/// violation). On stop the battery returns to self-consumption. Its owner can charge it now to a state of charge, or
/// stop grid charging for some hours, over its settings (<see cref="ManualOverride"/>).
/// </summary>
public sealed class BatterySchedulerService(BatterySchedulerOptions options, ILogger logger, TimeProvider time, IServiceStateStore? state = null)
    : IService, IHasStatus<BatteryScheduleStatus>, IHasSettings
{
    /// <summary>The name in <c>[Services]</c>.</summary>
    public const string ServiceName = "BatteryScheduler";

    private readonly SiteHistory _history = new(BatteryPlanning.HistoryDays);
    private CoordinatorRules? _rules;
    private bool _wasChargingAtStart;
    private List<PricePoint> _priceHistory = [];
    private readonly PriceSlots.Cache _slots = new();
    private BatteryPlan? _plan;
    private string _planKey = "";
    private DateTimeOffset _plannedAt;
    private readonly KeptState _kept = new(state, ServiceName, "history", "The PV and load history", TimeSpan.FromMinutes(15), logger);
    private readonly KeptState _keptPrices = new(state, ServiceName, "prices", "The price history of the rules' adaptive thresholds", TimeSpan.FromMinutes(15), logger);
    private DateTimeOffset? _firstSample;
    private volatile BatteryScheduleStatus? _status;

    // Set from the settings' thread, read by ticks: each box is replaced whole; the latest of the two instructions wins.
    private StrongBox<double>? _chargeNowTo;
    private StrongBox<DateTimeOffset>? _noGridUntil;

    /// <inheritdoc />
    public IReadOnlyList<ServiceSetting> Settings => field ??= [
        ServiceSetting.Number("ChargeNowToPct", "Charge from the grid now, at full power, to this state of charge, whatever the plan; the plan resumes once it is reached; 0 stops such a charge.",
            0, 100, () => Volatile.Read(ref _chargeNowTo)?.Value ?? 0, pct =>
            {
                Volatile.Write(ref _chargeNowTo, pct > 0 ? new StrongBox<double>(pct) : null);
                if (pct > 0)
                {
                    Volatile.Write(ref _noGridUntil, null);
                }
            }),
        ServiceSetting.Number("NoGridChargingHours", "No grid charging for this many hours from now, whatever the plan (self-consumption instead); 0 lifts it.",
            0, 72, () => Volatile.Read(ref _noGridUntil)?.Value is { } until && until > time.GetUtcNow() ? Math.Round((until - time.GetUtcNow()).TotalHours, 2) : 0, hours =>
            {
                Volatile.Write(ref _noGridUntil, hours > 0 ? new StrongBox<DateTimeOffset>(time.GetUtcNow().AddHours(hours)) : null);
                if (hours > 0)
                {
                    Volatile.Write(ref _chargeNowTo, null);
                }
            }),
    ];

    /// <inheritdoc />
    public string Name => ServiceName;

    /// <inheritdoc />
    public BatteryScheduleStatus? Status => _status;

    /// <inheritdoc />
    public async Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        var now = tick.Now;
        _kept.Tick(now, _history.Restore, _history.Save);
        if (options.Strategy == ScheduleStrategy.Rules)
        {
            _keptPrices.Tick(now, json => _priceHistory = JsonSerializer.Deserialize<List<PricePoint>>(json) ?? [], () => JsonSerializer.Serialize(_priceHistory));
        }
        var battery = tick.Site.Fresh(options.Battery, options.StaleAfter)?.Battery;
        var meter = tick.Site.Fresh(options.GridMeter, options.StaleAfter)?.Meter;
        var prices = tick.Site.Fresh(options.Prices, options.StaleAfter)?.Prices;
        // PV as the sun offers it (produced + what a limit holds back): a curtailed inverter must not look like a cloudy day.
        var inverter = options.Inverter.Length == 0 ? null : tick.Site.Fresh(options.Inverter, options.StaleAfter)?.Inverter;
        var pvW = options.Inverter.Length == 0 ? 0
            : inverter?.PvPowerW + SiteBalance.HeadroomOf(inverter, tick.Site.Devices.GetValueOrDefault(options.Inverter)?.Facts.RatedPowerW);
        var missing = battery is null ? DeviceWords.The("battery", options.Battery) : meter is null ? DeviceWords.The("grid meter", options.GridMeter)
            : prices is null ? DeviceWords.The("prices", options.Prices) : pvW is null ? DeviceWords.The("inverter", options.Inverter) : null;
        if (missing is not null)
        {
            await SendAsync(tick, new BatteryOrder(PlannedAction.SelfConsume, 0, $"no fresh reading of {missing}: the battery's own self-consumption until it is back"),
                battery?.SocPct ?? double.NaN, prices?.Currency ?? "", null, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (_firstSample is null && battery!.Mode == BatteryMode.ChargeFromGrid)
        {
            _wasChargingAtStart = true; // the coordinator forgot a charge in progress on every restart
        }
        // The house's own load: chargers and surplus consumers are scheduled by their own services (mostly on the surplus),
        // so learning them as fixed demand would keep the battery for a car that charges from the sun anyway.
        var loadW = Math.Max(0, meter!.PowerW + (inverter?.PvPowerW ?? 0) - battery!.PowerW - FlexibleW(tick.Site));
        _history.Add(now, pvW!.Value, loadW, options.StaleAfter);
        _firstSample ??= now;

        var slots = _slots.From(prices!, now);
        if (slots.Count == 0)
        {
            await SendAsync(tick, new BatteryOrder(PlannedAction.SelfConsume, 0, $"no prices ahead from {options.Prices}: self-consumption"), battery.SocPct,
                prices!.Currency, null, cancellationToken).ConfigureAwait(false);
            return;
        }
        RememberPrices(slots[0]);
        var facts = tick.Site.Devices.GetValueOrDefault(options.Battery)?.Facts.Battery;
        var spec = BatteryPlanning.Spec(options, facts);
        var order = options.Strategy == ScheduleStrategy.Rules ? Rules(now, battery.SocPct, slots, spec)
            : Optimal(tick, battery.SocPct, slots, spec, pvW!.Value, loadW, InverterRatedW(tick.Site));
        var chargeTo = Volatile.Read(ref _chargeNowTo);
        if (chargeTo is not null && battery.SocPct >= chargeTo.Value)
        {
            Interlocked.CompareExchange(ref _chargeNowTo, null, chargeTo);
            logger.LogInformation("{Battery} reached {Target} % as asked (ChargeNowToPct): the plan again", options.Battery, chargeTo.Value);
            chargeTo = null;
        }
        order = ManualOverride.Apply(order, battery.SocPct, chargeTo?.Value, Volatile.Read(ref _noGridUntil)?.Value, now, spec, time.LocalTimeZone);
        if (facts?.Modes is { } modes && !modes.Contains(ModeOf(order.Action)))
        {
            order = new BatteryOrder(PlannedAction.SelfConsume, 0, $"{options.Battery} cannot be put into {ModeOf(order.Action)}: self-consumption instead (planned: {order.Why})");
        }
        if (order.Action == PlannedAction.ChargeFromGrid && Unsafe(battery, meter) is { } why)
        {
            order = new BatteryOrder(PlannedAction.SelfConsume, 0, $"{why}: no grid charging (planned: {order.Why})");
        }
        else if (order.Action == PlannedAction.ChargeFromGrid && order.TargetSocPct is { } target && battery.SocPct >= target)
        {
            // Not every battery stops at a target by itself (GoodWe's EMS modes charge on until told otherwise).
            order = new BatteryOrder(PlannedAction.SelfConsume, 0,
                string.Create(CultureInfo.InvariantCulture, $"the target {target:0.#} % is reached: self-consumption for the rest of the slot (planned: {order.Why})"));
        }
        if (order.Action == PlannedAction.Hold && slots[0].FeedInPerKwh <= 0)
        {
            order = order with { HoldStoresAllPv = true, Why = $"{order.Why}; PV surplus is stored all the same: exporting it pays nothing now" };
        }
        await SendAsync(tick, order, battery.SocPct, prices!.Currency, options.Strategy == ScheduleStrategy.Optimal ? _plan : null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task StopAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        _kept.Stop(tick.Now, _history.Save);
        if (options.Strategy == ScheduleStrategy.Rules)
        {
            _keptPrices.Stop(tick.Now, () => JsonSerializer.Serialize(_priceHistory));
        }
        var result = await tick.Commands.SendAsync(new SetBatteryMode(options.Battery, BatteryMode.Auto, null, null, "EnergyHub stops: the battery's own self-consumption")
            { IsSafety = true }, cancellationToken).ConfigureAwait(false);
        if (!result.IsInEffect)
        {
            throw new SafeStateNotConfirmedException($"{options.Battery}: the battery did not confirm self-consumption ({result.Status}: {result.Detail})");
        }
        _planKey = "";
    }

    private BatteryOrder Optimal(ServiceTick tick, double socPct, IReadOnlyList<PlanSlot> slots, BatterySpec spec, double pvW, double loadW, double? inverterRatedW)
    {
        var now = tick.Now;
        var demands = options.PlanChargers ? tick.Plans.Demands(now) : [];
        var planned = _plan?.Slots.FirstOrDefault(s => s.Start == slots[0].Start);
        var key = _slots.Key + string.Concat(demands.Select(d => string.Create(CultureInfo.InvariantCulture, $"|{d.Id} {d.Deadline:O} {d.EnergyWh / 1000:0} {d.MaxPowerW / 100:0}")));
        // The plan's state of charge now, on the line from where the slot's plan was made (its start, or a re-plan within it) to its end.
        var from = planned is null ? now : planned.Start > _plannedAt ? planned.Start : _plannedAt;
        var expectedSoc = planned is null ? double.NaN
            : planned.SocStartPct + (planned.SocEndPct - planned.SocStartPct) * ((now - from) / (planned.Start + planned.Length - from));
        if (planned is null || key != _planKey || Math.Abs(socPct - expectedSoc) > options.ReplanSocDeviationPct)
        {
            var zone = time.LocalTimeZone;
            var result = BatteryPlanning.Plan(options, spec, slots, _history, socPct, pvW, loadW, BatteryPlanning.Target(options, now, zone), zone,
                BatteryPlanning.ClearSkyOf(options, zone, inverterRatedW), demands, now);
            _plan = result.Plan;
            _planKey = key;
            _plannedAt = now;
            planned = _plan.Slots[0];
            foreach (var placed in result.Demands)
            {
                tick.Plans.Publish(DemandWords.Plan(placed, result.Forecast, now, ServiceName, zone));
            }
        }
        return BatteryOrder.Of(planned);
    }

    private BatteryOrder Rules(DateTimeOffset now, double socPct, IReadOnlyList<PlanSlot> slots, BatterySpec spec)
    {
        if (_rules is null)
        {
            _rules = new CoordinatorRules(options.Rules(spec.CapacityKwh));
            if (_wasChargingAtStart)
            {
                _rules.Reconcile(true, options.RulesStopSocPct, now);
            }
        }
        var zone = time.LocalTimeZone;
        DateTimeOffset Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone);
        var local = Local(now);
        var decision = _rules.Decide(new RulesInputs(local, socPct, [.. slots.Select(s => new PricePoint(Local(s.Start), s.ImportPerKwh))],
            [.. _priceHistory.Where(p => p.Start >= now - options.RulesAdaptiveLookback && p.Start < slots[0].Start).Select(p => p with { Start = Local(p.Start) })],
            options.OffPeak.HoursLeft(TimeOnly.FromDateTime(local.DateTime))));
        return BatteryOrder.Of(decision, spec);
    }

    private void RememberPrices(PlanSlot current)
    {
        if (_priceHistory.Count == 0 || _priceHistory[^1].Start < current.Start)
        {
            _priceHistory.Add(new PricePoint(current.Start, current.ImportPerKwh));
        }
        _priceHistory.RemoveAll(p => p.Start < current.Start - options.RulesAdaptiveLookback - TimeSpan.FromDays(1));
    }

    // A measured value outside its limits; a value not read is unknown, not a violation.
    // A cell below its minimum is for the BMS to recover gently, not for a full-power charge from the grid.
    private string? Unsafe(BatteryReading battery, MeterReading meter)
    {
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        if (battery.TemperatureC is { } t && (t > options.MaxBatteryTempC || t < options.MinBatteryTempC))
        {
            return $"the battery is at {F(t)} °C, outside {F(options.MinBatteryTempC)}–{F(options.MaxBatteryTempC)} °C";
        }
        if (battery.VoltageV is { } v && v > 0 && (options.MaxBatteryVoltageV > 0 && v > options.MaxBatteryVoltageV || v < options.MinBatteryVoltageV))
        {
            return $"the battery is at {F(v)} V, outside {F(options.MinBatteryVoltageV)}–{F(options.MaxBatteryVoltageV)} V";
        }
        if (battery.MinCellVoltageV is { } low && low > 0 && options.MinCellVoltageV > 0 && low < options.MinCellVoltageV)
        {
            return $"a cell is at {F(low)} V, below {F(options.MinCellVoltageV)} V";
        }
        if (battery.MaxCellVoltageV is { } high && options.MaxCellVoltageV > 0 && high > options.MaxCellVoltageV)
        {
            return $"a cell is at {F(high)} V, above {F(options.MaxCellVoltageV)} V";
        }
        if (meter.Phases?.Select(p => p.VoltageV).OfType<double>().FirstOrDefault(u => u > 0 && (u > options.MaxGridVoltageV || u < options.MinGridVoltageV)) is { } grid and > 0)
        {
            return $"the grid is at {F(grid)} V, outside {F(options.MinGridVoltageV)}–{F(options.MaxGridVoltageV)} V";
        }
        return null;
    }

    private double? InverterRatedW(SiteSnapshot site) => options.Inverter.Length == 0 ? null : site.Devices.GetValueOrDefault(options.Inverter)?.Facts.RatedPowerW;

    private double FlexibleW(SiteSnapshot site) => site.Devices.Values
        .Where(d => d.Facts.Has<IConsumer>() || d.Facts.Has<IEvCharger>())
        .Sum(d => site.Fresh(d.Id, options.StaleAfter) is { } r ? Math.Max(0, r.Consumer?.PowerW ?? r.Charger?.PowerW ?? 0) : 0);

    private static BatteryMode ModeOf(PlannedAction action) => action switch
    {
        PlannedAction.ChargeFromGrid => BatteryMode.ChargeFromGrid,
        PlannedAction.Discharge => BatteryMode.Discharge,
        PlannedAction.Hold => BatteryMode.Hold,
        _ => BatteryMode.Auto,
    };

    private async Task SendAsync(ServiceTick tick, BatteryOrder order, double socPct, string currency, BatteryPlan? plan, CancellationToken cancellationToken)
    {
        var mode = ModeOf(order.Action);
        double? powerW = mode switch
        {
            BatteryMode.ChargeFromGrid or BatteryMode.Discharge => Math.Round(Math.Abs(order.BatteryKw) * 1000),
            BatteryMode.Hold => order.HoldStoresAllPv ? null : Math.Round(Math.Max(0, order.BatteryKw) * 1000),
            _ => null,
        };
        var result = await tick.Commands.SendAsync(new SetBatteryMode(options.Battery, mode, powerW, order.TargetSocPct, order.Why) { IsSafety = mode == BatteryMode.Auto },
            cancellationToken).ConfigureAwait(false);
        if (!result.IsInEffect && result.Status is not CommandStatus.RateLimited and not CommandStatus.Unchanged)
        {
            logger.LogWarning("{Battery}: {Mode} was not applied: {Status} {Detail}", options.Battery, mode, result.Status, result.Detail);
        }
        var days = _firstSample is { } first ? Math.Min(BatteryPlanning.HistoryDays, (tick.Now - first).TotalDays) : 0;
        _status = new BatteryScheduleStatus(options.Strategy, mode, powerW, order.TargetSocPct, order.Why, socPct, currency, Math.Round(days, 2), plan?.Cost,
            plan?.Slots ?? []);
        tick.Decisions.Record(new BatteryScheduleDecision(mode.ToString(), order.Why, powerW, order.TargetSocPct, socPct, options.Strategy.ToString()));
    }
}
