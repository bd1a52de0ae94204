using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>
/// The keys of a <c>Driver = mqtt-scripted-consumer</c> device: an es-ESS consumer script on the site's broker, which
/// publishes its fields on <c>{[Mqtt] TopicPrefix}/{TopicName}/Requests/{Key}/{Field}</c> and reads its allowance from
/// <c>…/Requests/{Key}/Allowance</c>.
/// </summary>
[NeedsMqtt]
public sealed class MqttScriptedConsumerOptions : DeviceOptions
{
    /// <summary>The script's key in its topics; empty = the device's id.</summary>
    [RegularExpression(@"^[^+#/]*$", ErrorMessage = "a key without /, + or #")]
    public string Key { get; init; } = "";

    /// <summary>The level after the topic prefix: es-ESS scripts use SolarOverheadDistributor.</summary>
    [Required]
    [RegularExpression(@"^[^+#]+$", ErrorMessage = "a topic level without the wildcards + and #")]
    public string TopicName { get; init; } = "SurplusDistributor";

    /// <summary>A Consumption the script has not repeated for this long counts as 0 W.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ConsumptionStaleAfter { get; init; } = TimeSpan.FromMinutes(3);
}
