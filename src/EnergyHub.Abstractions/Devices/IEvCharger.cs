namespace EnergyHub.Devices;

/// <summary>
/// An EV charger (wallbox) whose readings fill <see cref="Readings.DeviceReading.Charger"/>. What it can be told is in
/// separate abilities: <see cref="ICurrentLimiter"/> (charging current), <see cref="IPhaseSwitcher"/> (1 or 3 phases,
/// when the model and its firmware can), <see cref="ISwitch"/> (allow charging or not).
/// </summary>
public interface IEvCharger : IDevice
{
    /// <summary>The current range and phases of this charger as installed.</summary>
    EvChargerLimits Limits { get; }
}

/// <summary>An EV charger's current range and phases.</summary>
/// <param name="MinCurrentA">The least current per phase it charges with once charging (IEC 61851: 6 A).</param>
/// <param name="MaxCurrentA">The most current per phase it may deliver as installed (cable, fuse, setting), A.</param>
/// <param name="Phases">The phases it is wired for: 1 or 3.</param>
/// <param name="VoltageV">The nominal phase voltage, V, for turning current into power.</param>
public sealed record EvChargerLimits(double MinCurrentA, double MaxCurrentA, int Phases, double VoltageV = 230)
{
    /// <summary>The power of <paramref name="currentA"/> on <paramref name="phases"/> phases, W.</summary>
    public double PowerW(double currentA, int phases) => currentA * phases * VoltageV;
}

/// <summary>The ability to set an EV charger's charging current per phase.</summary>
public interface ICurrentLimiter
{
    /// <summary>Sets the charging current per phase, in A: 0 pauses charging, otherwise within the charger's limits.</summary>
    Task SetChargeCurrentAsync(double amps, CancellationToken cancellationToken);
}

/// <summary>The ability to switch an EV charger between 1 and 3 phases (go-e with API v2, some others).</summary>
public interface IPhaseSwitcher
{
    /// <summary>Switches to <paramref name="phases"/> phases (1 or 3); the charger pauses while it switches.</summary>
    Task SetPhasesAsync(int phases, CancellationToken cancellationToken);
}

/// <summary>The ability to switch a load on or off: a relay, a smart plug, a charger's charging permission.</summary>
public interface ISwitch
{
    /// <summary>Switches on (<c>true</c>) or off.</summary>
    Task SetSwitchAsync(bool on, CancellationToken cancellationToken);
}
