using System.Text.Json;
using EnergyHub.Protocols.Http;

namespace EnergyHub.Plugins.Shelly;

/// <summary>Readers over Shelly's JSON (on <see cref="JsonFields"/>): a missing or null value is null; a value of the wrong kind is a <see cref="FormatException"/>.</summary>
internal static class ShellyJson
{
    public static JsonElement Parse(string json, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new FormatException($"the Shelly {what} is not a JSON object: {Shorten(json)}");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the Shelly {what} is not JSON ({ex.Message}): {Shorten(json)}", ex);
        }
    }

    public static double? Number(JsonElement element, string key) => JsonFields.Number(element, key, "Shelly");

    public static double Required(JsonElement element, string key, string what) =>
        Number(element, key) ?? throw new FormatException($"the Shelly {what} has no {key}");

    public static bool? Bool(JsonElement element, string key) => JsonFields.Bool(element, key);

    public static string? Text(JsonElement element, string key) => JsonFields.Text(element, key);

    public static IEnumerable<JsonElement> Array(JsonElement element, string key) =>
        element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    public static JsonElement? Object(JsonElement element, string key) =>
        element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
