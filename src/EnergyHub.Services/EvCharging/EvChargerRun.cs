using EnergyHub.Commands;
using EnergyHub.Devices;
using EnergyHub.Readings;
using EnergyHub.Site;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Services.EvCharging;

/// <summary>
/// One charger of the EvCharging service: its controller, its settings (named <c>Mode</c>, or <c>NAME.Mode</c> for
/// <c>[EvCharging:NAME]</c>), its charged-energy split and what it shows. Every cycle it reads the grid, the home
/// battery and the charger, lets <see cref="EvChargeController"/> decide, and sends the phases and the current (0 stops
/// charging) through the command gate.
/// </summary>
internal sealed class EvChargerRun
{
    private readonly EvChargingOptions _options;
    private readonly ILogger _logger;
    private readonly EvChargeController _controller;
    private readonly EvEnergySplit _energy;
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastCycle;
    private int? _phasesSet;
    private volatile EvStatus? _status;
    private int _phaseSwitches;
    private int _resets;

    private readonly TimeZoneInfo _zone;
    private double _planEnergyKwh;
    private double _planByHour;
    private bool _planDaily;
    private (DateTimeOffset Deadline, double MarkWh)? _planArmed;
    private bool _planChanged;

    // A site plan older than this is not followed (its planner stopped): the charger's own plan on prices instead.
    private static readonly TimeSpan SitePlanFresh = TimeSpan.FromHours(2);

    public EvChargerRun(string key, EvChargingOptions options, ILogger logger, TimeZoneInfo zone)
    {
        (Key, _options, _logger, _zone) = (key, options, logger, zone);
        _controller = new(options.Settings, options.Mode, options.PhaseMode, options.ChargePriority, options.PhaseSwitcher.Length > 0 || options.PhaseRelay.Length > 0);
        _energy = new(options.StaleAfter, options.SessionResetOn == EvSessionReset.Disconnect);
        (_planEnergyKwh, _planByHour, _planDaily) = (options.DailyPlanKwh, options.PlanBy, options.DailyPlanKwh > 0);
        var prefix = key.Length == 0 ? "" : key + ".";
        Settings =
        [
            ServiceSetting.Choice(prefix + "Mode", "How the charger is run: Off and Max apply once, then Manual leaves it alone; PvOnly and PvAll follow the surplus.",
                () => Locked(() => _controller.ChosenMode), mode => Locked(() => _controller.DesiredMode = mode)),
            ServiceSetting.Choice(prefix + "PhaseMode", "Auto (by the power available), OnePhase or ThreePhase.",
                () => Locked(() => _controller.PhaseMode), mode => Locked(() => _controller.PhaseMode = mode)),
            ServiceSetting.Choice(prefix + "ChargePriority", "Who gets the surplus first: Auto (by the home battery's state of charge), HomeBattery or Car.",
                () => Locked(() => _controller.Priority), priority => Locked(() => _controller.Priority = priority)),
            ServiceSetting.Number(prefix + "PlanEnergyKwh", "A charge plan: this much energy into the car by PlanBy, in the cheapest hours (0 = no plan).",
                0, 500, () => Locked(() => _planEnergyKwh), kwh => Locked(() => (_planEnergyKwh, _planChanged, _planDaily) = (kwh, true, false))),
            ServiceSetting.Number(prefix + "PlanBy", "The charge plan's deadline, hours after local midnight (7.5 = 07:30); the next such time once set.",
                0, 23.99, () => Locked(() => _planByHour), hour => Locked(() => (_planByHour, _planChanged) = (hour, true))),
        ];
    }

    /// <summary>The NAME of its section; empty for [EvCharging]'s own charger.</summary>
    public string Key { get; }

    /// <summary>The charger's device id.</summary>
    public string Charger => _options.Charger;

    /// <summary>Its mode, phase mode and priority.</summary>
    public IReadOnlyList<ServiceSetting> Settings { get; }

    /// <summary>What it shows, with the settings as they are now (a change shows before the next cycle); null before its first cycle.</summary>
    public EvStatus? Status => _status is { } status
        ? Locked(() => status with { DesiredMode = _controller.ChosenMode, PhaseMode = _controller.PhaseMode, ChargePriority = _controller.Priority })
        : null;

    /// <summary>The energy split kept across restarts.</summary>
    public EvEnergy Energy => Locked(() => _energy.Energy);

    /// <summary>Continues the energy split from what was kept.</summary>
    public void Restore(EvEnergy kept) => Locked(() => _energy.Restore(kept));

    /// <summary>Runs one cycle when <see cref="EvChargingOptions.CycleInterval"/> has passed since the last.</summary>
    public async Task CycleAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        if (_lastCycle is { } last && tick.Now - last < _options.CycleInterval)
        {
            return;
        }
        var charger = tick.Site.Fresh(_options.Charger, _options.StaleAfter);
        if (charger?.Charger is not { } reading)
        {
            var seen = tick.Site.Devices.GetValueOrDefault(_options.Charger);
            var why = Unseen(seen);
            // What was shown last is what the charger was doing when it went quiet, not what it does now: said as such.
            _status = _status is { } shown ? shown with { Why = why, ReadingAgeS = seen?.Age?.TotalSeconds is { } age ? Math.Round(age) : null, Stale = true } : null;
            tick.Decisions.Record(new EvWaiting(_options.Charger, why, seen?.Health.ToString()));
            return;
        }
        _lastCycle = tick.Now;
        var battery = _options.Battery.Length == 0 ? null : tick.Site.Fresh(_options.Battery, _options.StaleAfter)?.Battery;
        var limits = tick.Site.Devices.GetValueOrDefault(_options.Charger)?.Facts.Charger;
        var phasesIn = _phasesSet ?? (reading.Phases > 0 ? reading.Phases : limits?.Phases ?? 3);
        var gridW = tick.Site.Fresh(_options.GridMeter, _options.StaleAfter)?.Meter?.PowerW;
        var gridMissing = _options.Battery.Length > 0 && battery is null; // without the battery's power the surplus is unknown too
        var input = new EvInputs(tick.Now, gridMissing ? null : gridW, battery?.PowerW ?? 0, battery?.SocPct, reading.Car, reading.CurrentA > 0, reading.CurrentA,
            phasesIn, reading.PowerW > 0 ? Math.Max(reading.Phases, 1) : 0, reading.PowerW) { ChargerError = reading.Error, PvHeadroomW = SiteBalance.PvHeadroomOf(tick.Site) };
        var decision = Locked(() =>
        {
            _energy.Add(tick.Now, reading.Car, reading.PowerW, reading.SessionEnergyWh, gridW);
            return _controller.Decide(input);
        });
        var energy = Energy;
        var plan = Plan(tick, reading, energy, phasesIn);
        if (plan?.ChargingNow == true)
        {
            decision = new EvDecision(_controller.DesiredMode, CurrentFor(plan.PowerW, phasesIn), false, null, $"plan: {plan.Why}");
        }
        _status = Locked(() => new EvStatus(Key, _options.Charger, decision.Mode, _controller.ChosenMode, _controller.PhaseMode, _controller.Priority,
            reading.Car, reading.CurrentA, reading.Phases, reading.PowerW, reading.SessionEnergyWh, energy, decision.Why, reading.Error) { Plan = plan });
        await ApplyAsync(tick, decision, cancellationToken).ConfigureAwait(false);
        tick.Decisions.Record(new EvChargeDecision(decision.Mode.ToString(), _options.Charger, decision.Why, decision.CurrentA, decision.Stop, decision.Phases, plan?.Why,
            gridW, Math.Round(input.PvHeadroomW), battery?.PowerW, reading.PowerW, reading.Car.ToString(), Math.Round(energy.SessionPvWh, 1),
            Math.Round(energy.SessionGridWh, 1), Math.Round(energy.TotalPvWh, 1), Math.Round(energy.TotalGridWh, 1)));
    }

    // The current that charges at a planned power (at least the least the charger takes); full without one.
    private double CurrentFor(double? powerW, int phases) => powerW is { } w
        ? Math.Clamp(Math.Ceiling(w / (Math.Max(1, phases) * _options.Settings.LineVoltageV)), _options.Settings.MinCurrentA, _options.Settings.MaxCurrentA)
        : _options.Settings.MaxCurrentA;

    // Without a fresh reading nothing can be decided or checked: say so, what the charger was last doing, and what is left to the owner.
    private string Unseen(DeviceState? seen)
    {
        var age = seen?.Age is { } a ? $"for {a.TotalSeconds:0} s" : "yet";
        var was = _status is { CurrentA: > 0 } last ? $"It was last seen charging at {last.CurrentA:0.#} A and goes on by itself" : "It was last seen not charging";
        return $"no reading of the charger {_options.Charger} {age} ({seen?.Health.ToString().ToLowerInvariant() ?? "not configured"}): EnergyHub can neither see nor change " +
            $"what it does. {was} until it answers again; to stop it now, stop charging in the car or at the wallbox, or unplug.";
    }

    // The charge plan as it stands: armed when set (its deadline the next PlanBy, the energy counted from then), re-planned
    // every cycle on what is still missing; it drives the charger only in the PV modes, while a car takes charge.
    private EvPlanStatus? Plan(ServiceTick tick, EvChargerReading reading, EvEnergy energy, int phases)
    {
        var chargedWh = energy.TotalPvWh + energy.TotalGridWh;
        var (energyKwh, armed) = Locked(() =>
        {
            if (_planChanged || (_planEnergyKwh > 0 && _planArmed is null) || (_planDaily && _planArmed is { } done && tick.Now >= done.Deadline))
            {
                _planChanged = false;
                _planArmed = _planEnergyKwh > 0 ? (EvPlanner.NextDeadline(tick.Now, _planByHour, _zone), chargedWh) : null;
            }
            return (_planEnergyKwh, _planArmed);
        });
        if (armed is not { } plan || energyKwh <= 0)
        {
            return null;
        }
        var charged = Math.Max(0, chargedWh - plan.MarkWh);
        var prices = _options.Prices.Length > 0 && tick.Site.Devices.GetValueOrDefault(_options.Prices) is { Health: DeviceHealth.Online, Reading.Prices: { } series }
            ? series.Intervals : [];
        var fullPowerW = _options.Settings.MaxCurrentA * phases * _options.Settings.LineVoltageV;
        var missingWh = energyKwh * 1000 - charged;
        var takes = reading.Car is EvCarState.Connected or EvCarState.Charging;
        var pvMode = _controller.DesiredMode is EvMode.PvOnly or EvMode.PvAll;
        // Posted for the site's planner while the plan can run; its answer is followed while it is fresh and for this deadline.
        if (takes && pvMode && missingWh > 0 && tick.Now < plan.Deadline)
        {
            tick.Plans.Post(new EnergyDemand(_options.Charger, missingWh, plan.Deadline, fullPowerW), tick.Now);
        }
        else
        {
            tick.Plans.Withdraw(_options.Charger);
        }
        var joint = tick.Plans.PlanOf(_options.Charger) is { } j && j.Demand.Deadline == plan.Deadline && tick.Now - j.PlannedAt <= SitePlanFresh && missingWh > 0 ? j : null;
        var decided = joint is null ? EvPlanner.Plan(tick.Now, plan.Deadline, missingWh, fullPowerW, prices, _zone) : EvPlanner.FromSitePlan(joint, tick.Now);
        var why = !takes ? $"{decided.Why} (the car is {reading.Car.ToString().ToLowerInvariant()}: nothing to charge)"
            : !pvMode ? $"{decided.Why} (not followed: the mode is {_controller.DesiredMode}; the plan runs in PvOnly and PvAll)"
            : decided.Why;
        return new EvPlanStatus(energyKwh, plan.Deadline, Math.Round(charged / 1000, 2), decided.ChargeNow && takes && pvMode, decided.Slots, why)
        {
            PlannedBy = joint?.Planner, PowerW = decided.PowerW,
        };
    }

    /// <summary>Puts the charger in its safe state; null when it confirmed, else why not.</summary>
    public async Task<string?> StopAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        _lastCycle = null;
        var result = await tick.Commands.SendAsync(new EnterSafeState(_options.Charger, "EnergyHub stops: the charger's safe state") { IsSafety = true },
            cancellationToken).ConfigureAwait(false);
        return result.IsInEffect ? null : $"{_options.Charger}: the charger did not confirm its safe state ({result.Status}: {result.Detail})";
    }

    /// <summary>pv-control's metric set, in EnergyHub's names, labelled by charger.</summary>
    public IEnumerable<ServiceMetric> Metrics()
    {
        if (_status is not { } s)
        {
            yield break;
        }
        KeyValuePair<string, string>[] charger = [new("charger", s.Charger)];
        foreach (var mode in Enum.GetValues<EvMode>())
        {
            yield return new ServiceMetric("ev_mode", "1 for the mode the charger is run in (Manual shows Off or Max by its state), 0 for the others.",
                mode == s.Mode ? 1 : 0, [.. charger, new("mode", mode.ToString())]);
        }
        yield return new ServiceMetric("ev_car_state", "The car's state: 0 disconnected, 1 connected, 2 charging, 3 error, 4 complete.", (int)s.Car, charger);
        yield return new ServiceMetric("ev_power_watts", "What the charger delivers, W.", s.PowerW, charger);
        yield return new ServiceMetric("ev_current_amperes", "The current the charger offers per phase, A (0 = not charging).", s.CurrentA, charger);
        yield return new ServiceMetric("ev_phases", "The phases the charger charges on.", s.Phases, charger);
        yield return new ServiceMetric("ev_allow_charging", "1 while the charger may charge.", s.CurrentA > 0 ? 1 : 0, charger);
        foreach (var (source, total, session) in new[] { ("grid", s.Energy.TotalGridWh, s.Energy.SessionGridWh), ("pv", s.Energy.TotalPvWh, s.Energy.SessionPvWh) })
        {
            KeyValuePair<string, string>[] labels = [.. charger, new("source", source)];
            yield return new ServiceMetric("ev_charged_energy_watt_hours_total", "Energy charged into the car since counting began, Wh, by source: grid, or pv (not from the grid).",
                total, labels, IsCounter: true);
            yield return new ServiceMetric("ev_session_energy_watt_hours", "Energy charged in this session, Wh, by source.", session, labels);
        }
        yield return new ServiceMetric("ev_session_charging_seconds", "How long the car charged in this session, s.", s.Energy.SessionChargingS, charger);
        yield return new ServiceMetric("ev_phase_switches_total", "Phase switches sent since start.", _phaseSwitches, charger, IsCounter: true);
        yield return new ServiceMetric("ev_phase_error_resets_total", "Resets after a phase error since start.", _resets, charger, IsCounter: true);
    }

    private T Locked<T>(Func<T> work)
    {
        lock (_gate)
        {
            return work();
        }
    }

    private void Locked(Action work)
    {
        lock (_gate)
        {
            work();
        }
    }

    private async Task ApplyAsync(ServiceTick tick, EvDecision decision, CancellationToken cancellationToken)
    {
        if (decision.Stop)
        {
            Warn(await tick.Commands.SendAsync(new SetChargeCurrent(_options.Charger, 0, decision.Why) { IsSafety = true }, cancellationToken).ConfigureAwait(false), "stop");
        }
        if (decision.Phases is { } phases)
        {
            DeviceCommand command = _options.PhaseRelay.Length > 0
                ? new SetSwitch(_options.PhaseRelay, phases == 3, decision.Why) { Reassert = decision.Reset }
                : new SetPhases(_options.PhaseSwitcher, phases, decision.Why) { Reassert = decision.Reset };
            var result = await tick.Commands.SendAsync(command, cancellationToken).ConfigureAwait(false);
            if (result.IsInEffect)
            {
                _phasesSet = phases;
                _phaseSwitches += decision.Reset ? 0 : 1;
            }
            Warn(result, "phases");
        }
        _resets += decision.Reset ? 1 : 0;
        if (!decision.Stop && decision.CurrentA is { } current)
        {
            Warn(await tick.Commands.SendAsync(new SetChargeCurrent(_options.Charger, current, decision.Why), cancellationToken).ConfigureAwait(false), "current");
        }
    }

    private void Warn(CommandResult result, string what)
    {
        if (!result.IsInEffect && result.Status != CommandStatus.RateLimited)
        {
            _logger.LogWarning("{Charger}: the {What} was not applied: {Status} {Detail}", _options.Charger, what, result.Status, result.Detail);
        }
    }
}
