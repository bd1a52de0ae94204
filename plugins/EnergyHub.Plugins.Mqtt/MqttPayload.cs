using System.Globalization;
using System.Text.Json;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>Reads a number out of an MQTT payload: the payload itself, or a value at a dot path into JSON.</summary>
public static class MqttPayload
{
    /// <summary>The number at <paramref name="path"/> in <paramref name="payload"/> (or the payload itself when the path is empty), or null.</summary>
    public static double? Parse(string payload, string path)
    {
        if (path.Length == 0)
        {
            return double.TryParse(payload.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) && double.IsFinite(plain) ? plain : null;
        }
        try
        {
            using var document = JsonDocument.Parse(payload);
            var element = document.RootElement;
            foreach (var name in path.Split('.'))
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return null;
                }
            }
            return element.ValueKind switch
            {
                JsonValueKind.Number when element.TryGetDouble(out var number) && double.IsFinite(number) => number,
                JsonValueKind.String when double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var text) && double.IsFinite(text) => text,
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
