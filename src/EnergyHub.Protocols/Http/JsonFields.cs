using System.Globalization;
using System.Text.Json;

namespace EnergyHub.Protocols.Http;

/// <summary>
/// Readers of fields in a device's or API's JSON, for drivers' pure parsers: a missing or null field is null; a field of
/// the wrong kind is a <see cref="FormatException"/> naming <c>what</c> and the key. Numbers may come as numbers or as
/// numeric strings (go-e v1, some Shelly firmware).
/// </summary>
public static class JsonFields
{
    /// <summary>The number at <paramref name="key"/>, or null.</summary>
    public static double? Number(JsonElement element, string key, string what) =>
        !element.TryGetProperty(key, out var value) ? null : value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            JsonValueKind.Null => null,
            _ => throw new FormatException($"{what}'s {key} is not a number: {value.GetRawText()}"),
        };

    /// <summary>The boolean at <paramref name="key"/>, or null.</summary>
    public static bool? Bool(JsonElement element, string key) =>
        element.TryGetProperty(key, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    /// <summary>The string at <paramref name="key"/>, or null.</summary>
    public static string? Text(JsonElement element, string key) =>
        element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
