using EnergyHub.Readings;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>A thermometer (and hygrometer) whose values are pushed on topics of the site's broker.</summary>
public sealed class MqttSensor(MqttSensorOptions options, DeviceContext context)
    : MqttPushDevice(context, options.Main, new MqttValue(nameof(options.HumidityTopic), options.HumidityTopic, options.HumidityValuePath, 1))
{
    /// <inheritdoc />
    public override string DisplayName => $"MQTT sensor on {options.Topic}";

    /// <inheritdoc />
    protected override DeviceReading Build(DateTimeOffset timestamp, IReadOnlyList<double?> values, string rawPayload) =>
        new() { Timestamp = timestamp, Sensor = new SensorReading { TemperatureC = values[0], HumidityPct = values[1] }, RawPayload = rawPayload };
}
