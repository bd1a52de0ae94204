using System.ComponentModel.DataAnnotations;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>
/// The keys of a <c>Driver = mqtt-sensor</c> device: a thermometer (a Zigbee2MQTT or Tasmota sensor in a tank or a room)
/// whose temperature (°C) arrives on <see cref="MqttDeviceOptions.Topic"/> and, optionally, its humidity (%) on
/// <see cref="HumidityTopic"/>, which may be the same topic with another path.
/// </summary>
public sealed class MqttSensorOptions : MqttDeviceOptions
{
    /// <summary>The exact topic of the relative humidity, e.g. zigbee2mqtt/tank (often the temperature's own); empty = not reported.</summary>
    [RegularExpression(@"^[^+#]*$", ErrorMessage = "a topic without the wildcards + and #")]
    public string HumidityTopic { get; init; } = "";

    /// <summary>Where the humidity is in a JSON payload on <see cref="HumidityTopic"/>, e.g. humidity.</summary>
    public string HumidityValuePath { get; init; } = "";
}
