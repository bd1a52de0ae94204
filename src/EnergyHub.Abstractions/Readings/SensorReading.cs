namespace EnergyHub.Readings;

/// <summary>What a plain sensor measures (a thermometer in a tank or a room, say); each value is null when not measured.</summary>
public sealed record SensorReading
{
    /// <summary>Temperature in °C.</summary>
    public double? TemperatureC { get; init; }

    /// <summary>Relative humidity in %.</summary>
    public double? HumidityPct { get; init; }
}
