using System.Globalization;
using System.Text.Json;

namespace EnergyHub.Web;

/// <summary>The body of <c>PUT /api/ev/{charger}/plan</c>: <c>{"energyKwh": 20, "by": "07:00"}</c>.</summary>
/// <param name="EnergyKwh">Energy into the car, kWh (more than 0).</param>
/// <param name="ByHour">The deadline as hours after local midnight (07:30 is 7.5).</param>
public sealed record EvPlanRequest(double EnergyKwh, double ByHour)
{
    /// <summary>What a valid body looks like, for error messages.</summary>
    public const string Example = "{\"energyKwh\": 20, \"by\": \"07:00\"} (energy above 0, a time of day HH:mm)";

    /// <summary>The plan in <paramref name="json"/>; null when it is not one.</summary>
    public static EvPlanRequest? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("energyKwh", out var energy) || energy.ValueKind != JsonValueKind.Number || energy.GetDouble() is not (> 0 and var kwh)
                || !root.TryGetProperty("by", out var by) || by.ValueKind != JsonValueKind.String
                || !TimeOnly.TryParseExact(by.GetString(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                return null;
            }
            return new EvPlanRequest(kwh, time.ToTimeSpan().TotalHours);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
