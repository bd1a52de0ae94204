using EnergyHub.Options;
using System.ComponentModel.DataAnnotations;
using EnergyHub.Protocols.Consumers;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>
/// The keys of a <c>Driver = mqtt-consumer</c> device: es-ESS's <c>[MqttConsumer:key]</c> keys (a Tasmota, Shelly or
/// Zigbee2MQTT plug on the site's broker).
/// </summary>
[NeedsMqtt]
public sealed class MqttConsumerOptions : NoCodeConsumerOptions
{
    /// <summary>Where OnValue is published to switch it on, e.g. cmnd/pool/POWER.</summary>
    [Required]
    [RegularExpression(@"^[^+#]+$", ErrorMessage = "a topic without the wildcards + and #")]
    public string OnTopic { get; init; } = "";

    /// <summary>What switches it on, e.g. ON.</summary>
    [Required]
    public string OnValue { get; init; } = "";

    /// <summary>Where OffValue is published to switch it off.</summary>
    [Required]
    [RegularExpression(@"^[^+#]+$", ErrorMessage = "a topic without the wildcards + and #")]
    public string OffTopic { get; init; } = "";

    /// <summary>What switches it off, e.g. OFF.</summary>
    [Required]
    public string OffValue { get; init; } = "";

    /// <summary>Where it publishes its status, in which OnKeywordRegex is looked for, e.g. stat/pool/POWER.</summary>
    [Required]
    [RegularExpression(@"^[^+#]+$", ErrorMessage = "a topic without the wildcards + and #")]
    public string StatusTopic { get; init; } = "";

    /// <summary>Where it publishes its power, which PowerExtractRegex picks out; empty = none (then OnPowerW).</summary>
    [RegularExpression(@"^[^+#]*$", ErrorMessage = "a topic without the wildcards + and #")]
    public string PowerTopic { get; init; } = "";

    /// <summary>How long a switch waits for the status to confirm it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00")]
    public TimeSpan ConfirmWithin { get; init; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override bool HasPowerSource => PowerTopic.Length > 0;
}
