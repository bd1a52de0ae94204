namespace EnergyHub.Devices;

/// <summary>A meter whose readings fill <see cref="Readings.DeviceReading.Meter"/>.</summary>
public interface IMeter : IDevice
{
    /// <summary>What the meter measures; decides the sign of its power (see <see cref="Conventions"/>).</summary>
    MeterRole Role { get; }
}

/// <summary>What a meter measures.</summary>
public enum MeterRole
{
    /// <summary>The grid connection: + import, − export.</summary>
    Grid,
    /// <summary>PV production: + produced.</summary>
    Pv,
    /// <summary>Household or sub-circuit load: + consumed.</summary>
    Load,
}
