using System.Text.Json;

namespace EnergyHub.Plugins.GoE;

/// <summary>
/// The answer to a v2 <c>/api/set</c>: one entry per key, <c>true</c> when applied or an error string (also in the
/// body of an HTTP 500). A key the answer does not mention counts as refused: a write is confirmed, never assumed.
/// </summary>
public static class GoESetResponse
{
    /// <summary>The keys of <paramref name="sent"/> that were not applied, each with the charger's reason.</summary>
    /// <exception cref="FormatException">The body is not a JSON object.</exception>
    public static IReadOnlyDictionary<string, string> Refused(string json, IEnumerable<string> sent)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the go-e set answer is not JSON: {ex.Message}", ex);
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"the go-e set answer is not a JSON object: {json}");
        }
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in sent)
        {
            if (!root.TryGetProperty(key, out var result))
            {
                refused[key] = "the charger did not answer for this key";
            }
            else if (result.ValueKind != JsonValueKind.True)
            {
                refused[key] = result.ValueKind == JsonValueKind.String ? result.GetString()! : result.GetRawText();
            }
        }
        return refused;
    }
}
