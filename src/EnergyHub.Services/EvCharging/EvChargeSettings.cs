namespace EnergyHub.Services.EvCharging;

/// <summary>
/// The numbers of <see cref="EvChargeController"/>, with pv-control's defaults, and the thresholds derived from them
/// exactly as pv-control derives them.
/// </summary>
public sealed record EvChargeSettings
{
    /// <summary>Phase voltage, V.</summary>
    public double LineVoltageV { get; init; } = 230;

    /// <summary>The least current per phase a car charges with, A.</summary>
    public double MinCurrentA { get; init; } = 6;

    /// <summary>The most current per phase, A.</summary>
    public double MaxCurrentA { get; init; } = 16;

    /// <summary>Added to a switch-on threshold, W.</summary>
    public double PowerHysteresisW { get; init; } = 200;

    /// <summary>PvAll switches on above this, W.</summary>
    public double PvAllMinPowerW { get; init; } = 500;

    /// <summary>The bias of the rounding: floor(x + offset) in PvOnly, ceil(x − offset) in PvAll, A.</summary>
    public double RoundingOffsetA { get; init; } = 0.1;

    /// <summary>How often the controller decides; the on/off and unplugged waits count down by it each cycle, as pv-control's did.</summary>
    public TimeSpan CycleInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A changed on/off wish must persist this long in the PV modes (the current follows at once).</summary>
    public TimeSpan OnOffDelay { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>A changed phase wish must persist this long, and as long since the last switch (a passing cloud switches nothing).</summary>
    public TimeSpan PhaseSwitchDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>In a PV mode with no car plugged in this long, the mode goes to Off.</summary>
    public TimeSpan AutoOffAfterUnplugged { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The mode entered when a car is plugged in while the mode is Off; Off = none.</summary>
    public EvMode ModeOnConnect { get; init; } = EvMode.Off;

    /// <summary>Auto priority: the home battery below this state of charge, the car above, %.</summary>
    public double PrioritySocThresholdPct { get; init; } = 50;

    /// <summary>Auto priority goes back to the home battery only this far below the threshold, %.</summary>
    public double PrioritySocHysteresisPct { get; init; } = 2;

    /// <summary>PvOnly switches on at one minimum current's worth plus the hysteresis (pv-control: 1580 W).</summary>
    public double PvOnlyOnW => MinCurrentA * LineVoltageV + PowerHysteresisW;

    /// <summary>PvAll switches off below this (pv-control: 300 W).</summary>
    public double PvAllOffW => Math.Max(PvAllMinPowerW - PowerHysteresisW, 100);

    /// <summary>The power from which three phases are wanted, with one phase in use (PvOnly 4340 W, PvAll 3680 W).</summary>
    public double ToThreePhasesW(EvMode mode) => mode == EvMode.PvOnly ? 3 * MinCurrentA * LineVoltageV + PowerHysteresisW : MaxCurrentA * LineVoltageV;

    /// <summary>The power below which one phase is wanted, with three in use (PvOnly 4140 W, PvAll 3480 W).</summary>
    public double ToOnePhaseW(EvMode mode) => mode == EvMode.PvOnly ? 3 * MinCurrentA * LineVoltageV : MaxCurrentA * LineVoltageV - PowerHysteresisW;
}
