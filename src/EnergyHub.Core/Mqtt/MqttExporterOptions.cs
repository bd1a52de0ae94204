using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;

namespace EnergyHub.Core.Mqtt;

/// <summary>The <c>[MqttExporter]</c> section: which devices' readings go to the site's broker, and how often.</summary>
[NeedsMqtt]
public sealed class MqttExporterOptions : ServiceOptions, IValidatableObject
{
    /// <summary>The devices whose readings are published; empty = every device.</summary>
    [DeviceRef]
    public IReadOnlyList<string> Devices { get; init; } = [];

    /// <summary>
    /// Single series to publish besides <see cref="Devices"/>, as device/Part.Value (grid/Meter.PowerW), or device/* for
    /// every series of a device; with both empty every device is published.
    /// </summary>
    public IReadOnlyList<string> Series { get; init; } = [];

    /// <summary>An unchanged value is published again after this long, so a subscriber that missed it catches up.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Also announce every series to Home Assistant (MQTT discovery under <c>homeassistant/</c>, retained).</summary>
    public bool HomeAssistant { get; init; }

    /// <summary>The shortest time between two publishes of one topic (0 = every change).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Throttle { get; init; } = TimeSpan.Zero;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Series.Where(entry => entry.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
            .Select(entry => new ValidationResult($"'{entry}' is not device/Part.Value or device/*, e.g. grid/Meter.PowerW", [nameof(Series)]));
}
