using EnergyHub.Readings;

namespace EnergyHub.Services.EvCharging;

/// <summary>One cycle's view of the site and the charger, in SDK signs.</summary>
/// <param name="Now">The cycle's instant.</param>
/// <param name="GridW">+ import, − export; null when the grid meter has no fresh reading.</param>
/// <param name="BatteryW">The home battery, + charging, − discharging; 0 without one.</param>
/// <param name="SocPct">The home battery's state of charge; null without one.</param>
/// <param name="Car">The car's state at the charger.</param>
/// <param name="Allowed">Whether the charger may charge now (it offers a current).</param>
/// <param name="OfferedCurrentA">The current it offers while allowed, A.</param>
/// <param name="PhasesIn">The phases it is set to charge on.</param>
/// <param name="PhasesOut">The phases it charges on now (0 while not charging).</param>
/// <param name="ChargerW">What it delivers now, W.</param>
public sealed record EvInputs(DateTimeOffset Now, double? GridW, double BatteryW, double? SocPct, EvCarState Car, bool Allowed, double OfferedCurrentA,
    int PhasesIn, int PhasesOut, double ChargerW)
{
    /// <summary>The charger's error, named (go-e <c>Phase</c>); null when there is none.</summary>
    public string? ChargerError { get; init; }

    /// <summary>PV the inverters hold back and could produce at once (<see cref="Site.SiteBalance.PvHeadroomW"/>), W: as available as export.</summary>
    public double PvHeadroomW { get; init; }
}

/// <summary>What one cycle wants of the charger; null parts are left as they are.</summary>
/// <param name="Mode">The mode to show (Manual shows Off or Max by the charger's state).</param>
/// <param name="CurrentA">The current to offer (which also allows charging), A.</param>
/// <param name="Stop">True to stop charging.</param>
/// <param name="Phases">The phases to switch to (only while not charging).</param>
/// <param name="Why">In words.</param>
public sealed record EvDecision(EvMode Mode, double? CurrentA, bool Stop, int? Phases, string Why)
{
    /// <summary>True for the one reset after a phase error: <see cref="Phases"/> are sent again even though the charger was set to them.</summary>
    public bool Reset { get; init; }
}

/// <summary>
/// pv-control's ChargeController as a pure decider, its thresholds and rounding reproduced exactly, with what it
/// lacked: a stale grid meter stops charging in a PV mode at once, a phase switch needs its wish to persist (and the
/// last switch to be as long ago) for <see cref="EvChargeSettings.PhaseSwitchDelay"/>, and Auto priority has a
/// hysteresis. Phases are switched only while not charging: a charging car is stopped first.
/// </summary>
public sealed class EvChargeController(EvChargeSettings settings, EvMode mode, EvPhaseMode phaseMode, EvPriority priority, bool canSwitchPhases)
{
    private TimeSpan _onOffWait = settings.OnOffDelay;
    private EvMode _shown = mode;
    private TimeSpan _unplugged;
    private (int Phases, DateTimeOffset Since)? _phaseWish;
    private DateTimeOffset _phasesSwitchedAt = DateTimeOffset.MinValue;
    private EvPriority _resolved = EvPriority.HomeBattery;
    private bool _resetSent;

    private EvMode _desired = mode;

    /// <summary>
    /// The mode the controller follows now: the owner's choice (<see cref="ChosenMode"/>), except that Off and Max hand
    /// over to Manual once applied. Setting it is the owner choosing.
    /// </summary>
    public EvMode DesiredMode
    {
        get => _desired;
        set => (_desired, ChosenMode) = (value, value);
    }

    /// <summary>
    /// The mode the owner chose (or chose for them: off after unplugging, the mode on connect), which the page shows; Max
    /// stays Max after the charger was set to its maximum and left alone.
    /// </summary>
    public EvMode ChosenMode { get; private set; } = mode;

    /// <summary>The phase mode.</summary>
    public EvPhaseMode PhaseMode { get; set; } = phaseMode;

    /// <summary>The priority.</summary>
    public EvPriority Priority { get; set; } = priority;

    /// <summary>Decides one cycle (one <see cref="EvChargeSettings.CycleInterval"/>).</summary>
    public EvDecision Decide(EvInputs input)
    {
        var decision = DecideCycle(input);
        _shown = decision.Mode;
        return decision;
    }

    private EvDecision DecideCycle(EvInputs input)
    {
        Housekeeping(input);

        if (DesiredMode is EvMode.PvOnly or EvMode.PvAll && input.GridW is null)
        {
            _onOffWait = settings.OnOffDelay;
            return new EvDecision(DesiredMode, null, input.Allowed, null, "no fresh grid reading: charging stopped until it is back");
        }
        if (PhaseError(input) is { } reset)
        {
            return reset;
        }
        if (Phases(input) is { } phases)
        {
            return phases;
        }
        switch (DesiredMode)
        {
            case EvMode.Off:
                _desired = EvMode.Manual;
                return new EvDecision(EvMode.Off, null, true, null, "Off: charging stopped, then the charger is left alone");
            case EvMode.Max:
                _desired = EvMode.Manual;
                return new EvDecision(EvMode.Max, settings.MaxCurrentA, false, null, $"Max: {settings.MaxCurrentA:0} A, then the charger is left alone");
            case EvMode.Manual:
                _onOffWait = TimeSpan.Zero;
                var shown = !input.Allowed ? EvMode.Off : input.OfferedCurrentA >= settings.MaxCurrentA ? EvMode.Max : EvMode.Manual;
                return new EvDecision(shown, null, false, null, "Manual: the charger is left alone");
            default:
                return FromSurplus(input);
        }
    }

    private void Housekeeping(EvInputs input)
    {
        if (DesiredMode is EvMode.PvOnly or EvMode.PvAll && input.Car == EvCarState.Disconnected)
        {
            _unplugged += settings.CycleInterval;
            if (_unplugged >= settings.AutoOffAfterUnplugged)
            {
                DesiredMode = EvMode.Off;
            }
        }
        else
        {
            _unplugged = TimeSpan.Zero;
        }
        if (_shown == EvMode.Off && DesiredMode is EvMode.Off or EvMode.Manual && input.Car == EvCarState.Connected && settings.ModeOnConnect != EvMode.Off)
        {
            DesiredMode = settings.ModeOnConnect;
        }
    }

    // pv-control reset the wallbox on every cycle a phase error lasted; one reset is enough: stop, and send the phases again.
    private EvDecision? PhaseError(EvInputs input)
    {
        if (input.ChargerError is not { } error || !error.Contains("Phase", StringComparison.OrdinalIgnoreCase))
        {
            _resetSent = false;
            return null;
        }
        if (_resetSent)
        {
            return new EvDecision(DesiredMode, null, input.Allowed, null, $"the charger's phase error ({error}) persists after one reset: charging stays stopped; check the phase switch and its wiring");
        }
        _resetSent = true;
        return new EvDecision(DesiredMode, null, true, canSwitchPhases ? input.PhasesIn : null,
            $"the charger reports a phase error ({error}): one reset, charging stopped{(canSwitchPhases ? $" and {input.PhasesIn} phase(s) set again" : "")}") { Reset = true };
    }

    // pv-control's phase convergence, with the dwell it lacked, on the same available power as the current (pv-control
    // used −grid + charger here: a home battery taking the surplus kept the car on one phase all day).
    private EvDecision? Phases(EvInputs input)
    {
        if (!canSwitchPhases)
        {
            return null;
        }
        var available = input.GridW is null ? input.ChargerW : Available(input, Resolve(input.SocPct));
        var want = PhaseMode switch
        {
            EvPhaseMode.OnePhase => 1,
            EvPhaseMode.ThreePhase => 3,
            _ when DesiredMode is EvMode.PvOnly or EvMode.PvAll => input.PhasesIn == 1
                ? available >= settings.ToThreePhasesW(DesiredMode) ? 3 : 1
                : available < settings.ToOnePhaseW(DesiredMode) ? 1 : 3,
            _ when DesiredMode == EvMode.Max => 3,
            _ => input.PhasesIn,
        };
        if (want == input.PhasesIn)
        {
            _phaseWish = null;
            return null;
        }
        var forced = PhaseMode != EvPhaseMode.Auto || DesiredMode == EvMode.Max;
        _phaseWish = _phaseWish is { } wish && wish.Phases == want ? wish : (want, input.Now);
        var waited = input.Now - _phaseWish.Value.Since;
        if (!forced && (waited < settings.PhaseSwitchDelay || input.Now - _phasesSwitchedAt < settings.PhaseSwitchDelay))
        {
            return null; // the wish has not lasted (or the last switch is too recent): carry on as now
        }
        if (input.PhasesOut > 0)
        {
            return new EvDecision(DesiredMode, null, true, null, $"stopping to switch to {want} phase(s) ({available:0} W available)");
        }
        _phasesSwitchedAt = input.Now;
        _phaseWish = null;
        return new EvDecision(DesiredMode, null, false, want, $"switching to {want} phase(s) ({available:0} W available)");
    }

    private EvDecision FromSurplus(EvInputs input)
    {
        var phases = input.PhasesOut > 0 ? input.PhasesOut : input.PhasesIn;
        var priority = Resolve(input.SocPct);
        var available = Available(input, priority);
        var perPhase = available / settings.LineVoltageV / phases;
        double current;
        if (DesiredMode == EvMode.PvOnly)
        {
            current = !input.Allowed && available < settings.PvOnlyOnW ? 0 : Math.Floor(perPhase + settings.RoundingOffsetA);
            current = current < settings.MinCurrentA ? 0 : current;
        }
        else
        {
            current = (!input.Allowed && available < settings.PvAllMinPowerW) || available < settings.PvAllOffW ? 0 : Math.Ceiling(perPhase - settings.RoundingOffsetA);
            current = current > 0 && current < settings.MinCurrentA ? settings.MinCurrentA : current;
        }
        current = Math.Min(current, settings.MaxCurrentA);
        var wantCharging = current > 0;
        current = wantCharging ? current : settings.MinCurrentA;
        var why = $"{EvWords.Of(DesiredMode)}, {EvWords.Of(priority)}: {available:0} W available on {phases} phase(s)";
        if (input.Allowed == wantCharging)
        {
            _onOffWait = settings.OnOffDelay;
            return new EvDecision(DesiredMode, wantCharging ? current : null, false, null, wantCharging ? $"{why}: {current:0} A" : $"{why}: not enough");
        }
        _onOffWait -= settings.CycleInterval;
        if (_onOffWait > TimeSpan.Zero)
        {
            // The wish to switch must last; meanwhile a charging car follows the power at once.
            return new EvDecision(DesiredMode, input.Allowed ? current : null, false, null,
                $"{why}: {(wantCharging ? "on" : "off")} in {_onOffWait.TotalSeconds:0} s if it lasts");
        }
        _onOffWait = settings.OnOffDelay;
        return wantCharging
            ? new EvDecision(DesiredMode, current, false, null, $"{why}: on at {current:0} A")
            : new EvDecision(DesiredMode, null, true, null, $"{why}: off");
    }

    // SDK signs: the battery is + charging. With the car first, what the battery charges with goes to the car; with the
    // home battery first, only its discharge is taken off (it never feeds the car either way). PV held back by a limit
    // counts like export: an export guard curtailing at a negative price must not hide it from the car.
    private static double Available(EvInputs input, EvPriority priority) =>
        -input.GridW!.Value + input.PvHeadroomW + input.ChargerW + (priority == EvPriority.Car ? input.BatteryW : Math.Min(input.BatteryW, 0));

    private EvPriority Resolve(double? socPct)
    {
        if (Priority != EvPriority.Auto)
        {
            return Priority;
        }
        if (socPct is not { } soc)
        {
            return EvPriority.Car; // no home battery to protect
        }
        _resolved = _resolved == EvPriority.Car
            ? soc < settings.PrioritySocThresholdPct - settings.PrioritySocHysteresisPct ? EvPriority.HomeBattery : EvPriority.Car
            : soc >= settings.PrioritySocThresholdPct ? EvPriority.Car : EvPriority.HomeBattery;
        return _resolved;
    }
}
