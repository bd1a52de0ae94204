using EnergyHub.Services;
using System.Text.Json;
using System.Text.RegularExpressions;
using EnergyHub.Readings;

namespace EnergyHub.Core.Mqtt;

/// <summary>One Home Assistant MQTT discovery message: its retained config topic and JSON payload.</summary>
/// <param name="Topic"><c>homeassistant/sensor/{object id}/config</c>.</param>
/// <param name="Payload">The sensor's config: name, state topic, unit, device and state class, availability, device.</param>
public sealed record DiscoveryMessage(string Topic, string Payload);

/// <summary>
/// Home Assistant MQTT discovery for the exporter's topics: one sensor per series, with the unit from its name, the
/// device_class and state_class Home Assistant's energy dashboard needs (energy in Wh: <c>total_increasing</c>; power,
/// state of charge, voltage, current, frequency, temperature: <c>measurement</c>), availability from EnergyHub's status
/// topic, and one HA device per EnergyHub device.
/// </summary>
public static partial class HomeAssistantDiscovery
{
    /// <summary>The discovery message of <paramref name="series"/> of device <paramref name="deviceId"/>, published under <paramref name="prefix"/>.</summary>
    public static DiscoveryMessage For(string site, string prefix, string deviceId, SeriesValue series)
    {
        var objectId = ObjectId(site, deviceId, series.Name);
        var (deviceClass, stateClass) = Classes(series);
        var payload = new Dictionary<string, object?>
        {
            ["name"] = series.Name,
            ["unique_id"] = objectId,
            ["object_id"] = objectId,
            ["state_topic"] = $"{prefix}/{deviceId}/{series.Name.Replace('.', '/')}",
            ["unit_of_measurement"] = series.Unit.Length == 0 ? null : series.Unit,
            ["device_class"] = deviceClass,
            ["state_class"] = stateClass,
        };
        return new DiscoveryMessage(TopicOf(objectId), Serialize(payload, site, prefix, deviceId));
    }

    /// <summary>
    /// The discovery message of a service setting: a <c>number</c> (range, unit) or a <c>select</c> (its choices), whose
    /// state is <c>{prefix}/{service}/{name}</c> and whose commands go to that topic plus <c>/set</c>.
    /// </summary>
    public static DiscoveryMessage ForSetting(string site, string prefix, string service, ServiceSetting setting)
    {
        var objectId = ObjectId(site, service, setting.Name);
        var select = setting.Choices.Count > 0;
        var payload = new Dictionary<string, object?>
        {
            ["name"] = setting.Name,
            ["unique_id"] = objectId,
            ["object_id"] = objectId,
            ["state_topic"] = $"{prefix}/{service}/{setting.Name}",
            ["command_topic"] = $"{prefix}/{service}/{setting.Name}/set",
            ["options"] = select ? setting.Choices : null,
            ["min"] = setting.Min,
            ["max"] = setting.Max,
            ["step"] = select ? null : 0.001,
            ["mode"] = select ? null : "box",
            ["unit_of_measurement"] = setting.Unit.Length == 0 ? null : setting.Unit,
            ["entity_category"] = "config",
        };
        return new DiscoveryMessage(SettingTopicOf(site, service, setting), Serialize(payload, site, prefix, service));
    }

    /// <summary>The config topic of a service setting.</summary>
    public static string SettingTopicOf(string site, string service, ServiceSetting setting) =>
        $"homeassistant/{(setting.Choices.Count > 0 ? "select" : "number")}/{ObjectId(site, service, setting.Name)}/config";

    /// <summary>The config topic of <paramref name="seriesName"/> of device <paramref name="deviceId"/>, without building the payload.</summary>
    public static string TopicOf(string site, string deviceId, string seriesName) => TopicOf(ObjectId(site, deviceId, seriesName));

    // Availability from the status topic, one Home Assistant device per EnergyHub device or service; a key Home Assistant
    // does not need is left out, not sent as null.
    private static string Serialize(Dictionary<string, object?> payload, string site, string prefix, string owner)
    {
        payload["availability_topic"] = $"{prefix}/$SYS/Status";
        payload["payload_available"] = "Online";
        payload["payload_not_available"] = "Offline";
        payload["device"] = new Dictionary<string, object>
        {
            ["identifiers"] = new[] { Slug($"energyhub_{site}_{owner}") },
            ["name"] = owner,
            ["manufacturer"] = "EnergyHub",
        };
        return JsonSerializer.Serialize(payload.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    private static string ObjectId(string site, string deviceId, string seriesName) => Slug($"energyhub_{site}_{deviceId}_{seriesName}");

    private static string TopicOf(string objectId) => $"homeassistant/sensor/{objectId}/config";

    private static (string? DeviceClass, string? StateClass) Classes(SeriesValue series) => series.Unit switch
    {
        "Wh" => ("energy", "total_increasing"),
        "W" => ("power", "measurement"),
        "%" when series.Name.EndsWith("SocPct", StringComparison.Ordinal) => ("battery", "measurement"),
        "%" => (null, "measurement"),
        "V" => ("voltage", "measurement"),
        "A" => ("current", "measurement"),
        "Hz" => ("frequency", "measurement"),
        "°C" => ("temperature", "measurement"),
        _ => (null, series.Unit.Length == 0 ? null : "measurement"),
    };

    // Home Assistant object ids: lower case letters, digits and underscores.
    private static string Slug(string text) => NotIdChars().Replace(text.ToLowerInvariant(), "_");

    [GeneratedRegex("[^a-z0-9_]+")]
    private static partial Regex NotIdChars();
}
