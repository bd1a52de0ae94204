namespace EnergyHub;

/// <summary>
/// The units and sign conventions of every value in EnergyHub, fixed once here.
/// Drivers convert to them at the edge; services and the core never convert again.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Units are part of every property name: power in watts (<c>PowerW</c>), energy in
/// watt-hours (<c>EnergyWh</c>), state of charge and limits in percent (<c>SocPct</c>), voltage in volts
/// (<c>VoltageV</c>), current in amperes (<c>CurrentA</c>), temperature in degrees Celsius
/// (<c>TemperatureC</c>), frequency in hertz (<c>FrequencyHz</c>), prices in currency per kWh (<c>PerKwh</c>).</description></item>
/// <item><description><b>Grid power</b>: positive = importing from the grid, negative = exporting to it.</description></item>
/// <item><description><b>Battery power</b>: positive = charging, negative = discharging.</description></item>
/// <item><description><b>PV and inverter output power</b>: positive = producing.</description></item>
/// <item><description><b>Consumer power</b>: positive = consuming.</description></item>
/// <item><description><b>Feed-in price</b>: what the owner is <i>paid</i> per exported kWh; negative means the owner
/// pays to export. <b>Import price</b>: what the owner pays per imported kWh.</description></item>
/// <item><description>Times are <see cref="DateTimeOffset"/> in UTC.</description></item>
/// </list>
/// </remarks>
public static class Conventions
{
    /// <summary>Maps a property-name unit suffix to the unit symbol shown to people, longest suffix first.</summary>
    public static IReadOnlyList<(string Suffix, string Unit)> UnitSuffixes { get; } =
    [
        ("PerKwh", "/kWh"),
        ("FrequencyHz", "Hz"),
        ("Wh", "Wh"),
        ("Pct", "%"),
        ("W", "W"),
        ("V", "V"),
        ("A", "A"),
        ("C", "°C"),
        ("Hz", "Hz"),
    ];

    /// <summary>Returns the unit symbol that a property name carries, or <c>null</c> when it carries none.</summary>
    /// <param name="propertyName">A name such as <c>PowerW</c> or <c>SocPct</c>.</param>
    public static string? UnitOf(string propertyName)
    {
        foreach (var (suffix, unit) in UnitSuffixes)
        {
            if (propertyName.Length > suffix.Length
                && propertyName.EndsWith(suffix, StringComparison.Ordinal)
                && char.IsLower(propertyName[^(suffix.Length + 1)]))
            {
                return unit;
            }
        }
        return null;
    }
}
