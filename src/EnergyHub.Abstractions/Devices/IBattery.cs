namespace EnergyHub.Devices;

/// <summary>A battery whose readings fill <see cref="Readings.DeviceReading.Battery"/> (+ charging, − discharging).</summary>
public interface IBattery : IDevice
{
    /// <summary>Usable capacity, in Wh, when known.</summary>
    double? CapacityWh { get; }

    /// <summary>Most the battery charges with, W (AC side), when known.</summary>
    double? MaxChargeW => null;

    /// <summary>Most the battery discharges with, W (AC side), when known.</summary>
    double? MaxDischargeW => null;

    /// <summary>Round-trip efficiency, %, when known.</summary>
    double? RoundTripEfficiencyPct => null;

    /// <summary>The lowest and highest state of charge the system allows, %, when known.</summary>
    (double MinPct, double MaxPct)? SocLimitsPct => null;
}

/// <summary>The ability to cap a battery charger's charging current.</summary>
public interface IChargeCurrentLimiter
{
    /// <summary>Sets the maximum charging current, in A (one of the steps the charger allows).</summary>
    Task SetMaxChargeCurrentAsync(double amps, CancellationToken cancellationToken);
}

/// <summary>The ability to set a battery charger's float voltage (lead-acid and other voltage-charged banks).</summary>
public interface IFloatVoltageSetter
{
    /// <summary>Sets the charger's float voltage, in V, for the whole bank.</summary>
    Task SetFloatVoltageAsync(double volts, CancellationToken cancellationToken);
}

/// <summary>What a battery system is told to do with its battery (see <see cref="IBatteryControl"/>).</summary>
public enum BatteryMode
{
    /// <summary>The system's own self-consumption: charge from surplus, discharge to cover the house.</summary>
    Auto,
    /// <summary>
    /// Keep the energy for later: never discharge and never charge from the grid, but store PV surplus at up to the
    /// mode's power (null: all the battery can take; 0: none, to keep room for later). "Do not discharge" is not "do
    /// not charge". A system without such a mode comes as close as it can and says so in its driver's documentation.
    /// </summary>
    Hold,
    /// <summary>Charge from the grid (and PV) up to a target state of charge at up to a power.</summary>
    ChargeFromGrid,
    /// <summary>Discharge at up to a power, exporting what the house does not take.</summary>
    Discharge,
}

/// <summary>The ability to put a battery system into a <see cref="BatteryMode"/> (price-driven charging and discharging).</summary>
public interface IBatteryControl
{
    /// <summary>
    /// Puts the battery into <paramref name="mode"/>; <paramref name="powerW"/> is the most it charges or discharges with
    /// (ChargeFromGrid, Discharge; for Hold the most PV surplus it stores, null = all) and <paramref name="targetSocPct"/> where grid charging stops (ChargeFromGrid).
    /// </summary>
    Task SetBatteryModeAsync(BatteryMode mode, double? powerW, double? targetSocPct, CancellationToken cancellationToken);

    /// <summary>The modes this battery takes (every mode unless the system cannot do some, e.g. discharge on command); others are refused.</summary>
    IReadOnlySet<BatteryMode> Modes => AllBatteryModes.Set;
}

/// <summary>Every <see cref="BatteryMode"/>, the default of <see cref="IBatteryControl.Modes"/>.</summary>
public static class AllBatteryModes
{
    /// <summary>The set.</summary>
    public static IReadOnlySet<BatteryMode> Set { get; } = Enum.GetValues<BatteryMode>().ToHashSet();
}
