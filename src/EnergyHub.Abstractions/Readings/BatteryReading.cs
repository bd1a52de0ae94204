namespace EnergyHub.Readings;

/// <summary>A battery's state. <see cref="PowerW"/> is positive when charging, negative when discharging.</summary>
/// <param name="SocPct">State of charge, 0–100 %.</param>
/// <param name="PowerW">Battery power, in W: + charging, − discharging.</param>
public sealed record BatteryReading(double SocPct, double PowerW)
{
    /// <summary>Battery voltage, in V.</summary>
    public double? VoltageV { get; init; }

    /// <summary>Battery current, in A, with the sign of <see cref="PowerW"/>.</summary>
    public double? CurrentA { get; init; }

    /// <summary>
    /// The charge power the battery would accept now, in W (its BMS charge limit): below the rated maximum while it
    /// tapers near full, 0 when full. Null when the device does not say.
    /// </summary>
    public double? ChargeLimitW { get; init; }

    /// <summary>Battery temperature, in °C.</summary>
    public double? TemperatureC { get; init; }

    /// <summary>The lowest cell voltage in the pack, in V, when the BMS reports it.</summary>
    public double? MinCellVoltageV { get; init; }

    /// <summary>The highest cell voltage in the pack, in V, when the BMS reports it.</summary>
    public double? MaxCellVoltageV { get; init; }

    /// <summary>The mode a controllable battery is in (<see cref="Devices.IBatteryControl"/>), read back; null when the device does not say.</summary>
    public Devices.BatteryMode? Mode { get; init; }
}
