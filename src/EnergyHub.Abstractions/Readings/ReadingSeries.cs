using System.Globalization;
using System.Reflection;

namespace EnergyHub.Readings;

/// <summary>One named value of a reading with its unit, e.g. <c>Meter.PowerW</c> = −1234 W.</summary>
/// <param name="Name">Part and property, e.g. <c>Battery.SocPct</c> or <c>Meter.L2.CurrentA</c>.</param>
/// <param name="Value">The value in the unit its name carries.</param>
/// <param name="Unit">The unit symbol, from the name's suffix.</param>
public sealed record SeriesValue(string Name, double Value, string Unit);

/// <summary>
/// Flattens a <see cref="DeviceReading"/> into named series, the units read off the property names: the one naming of
/// readings that the journal, the API, metrics and observers (an MQTT exporter, say) share.
/// </summary>
public static class ReadingSeries
{
    /// <summary>Every numeric value the reading holds; the price part contributes the interval current at the reading's time.</summary>
    public static IReadOnlyList<SeriesValue> Flatten(DeviceReading reading)
    {
        var values = new List<SeriesValue>();
        AddPart(values, "Inverter", reading.Inverter);
        AddPart(values, "Meter", reading.Meter);
        if (reading.Meter is { } meter)
        {
            for (var i = 0; i < meter.Phases.Count; i++)
            {
                AddPart(values, $"Meter.L{i + 1}", meter.Phases[i]);
            }
        }
        AddPart(values, "Load", reading.Load);
        AddPart(values, "Battery", reading.Battery);
        AddPart(values, "Consumer", reading.Consumer);
        AddPart(values, "Charger", reading.Charger);
        AddPart(values, "Sensor", reading.Sensor);
        if (reading.Prices is { } prices && prices.At(reading.Timestamp) is { } now)
        {
            var unit = prices.Currency + "/kWh";
            values.Add(new SeriesValue("Prices.ImportPerKwh", now.ImportPerKwh, unit));
            values.Add(new SeriesValue("Prices.FeedInPerKwh", now.FeedInPerKwh, unit));
        }
        return values;
    }

    /// <summary>A one-line summary such as <c>Meter.PowerW=-1234 W, Battery.SocPct=56 %</c>.</summary>
    public static string Describe(DeviceReading reading) =>
        string.Join(", ", Flatten(reading).Select(v =>
            $"{v.Name}={v.Value.ToString("0.###", CultureInfo.InvariantCulture)} {v.Unit}"));

    private static void AddPart(List<SeriesValue> values, string prefix, object? part)
    {
        if (part is null)
        {
            return;
        }
        foreach (var property in part.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var value = property.GetValue(part) switch
            {
                double d => d,
                bool b => b ? 1 : 0,
                _ => (double?)null,
            };
            if (value is { } v)
            {
                values.Add(new SeriesValue($"{prefix}.{property.Name}", v, Conventions.UnitOf(property.Name) ?? ""));
            }
        }
    }
}
