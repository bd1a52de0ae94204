namespace EnergyHub.Plugins.Mqtt;

/// <summary>Registers the generic MQTT device drivers: any device that publishes its values to the site's broker.</summary>
public sealed class MqttPlugin : IPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistry registry)
    {
        registry.AddDevice<MqttMeterOptions, MqttMeter>("mqtt-meter", (options, context) => new MqttMeter(options, context));
        registry.AddDevice<MqttInverterOptions, MqttInverter>("mqtt-inverter", (options, context) => new MqttInverter(options, context));
        registry.AddDevice<MqttSensorOptions, MqttSensor>("mqtt-sensor", (options, context) => new MqttSensor(options, context));
        registry.AddDevice<MqttConsumerOptions, MqttConsumer>("mqtt-consumer", (options, context) => new MqttConsumer(options, context));
        registry.AddDevice<MqttScriptedConsumerOptions, MqttScriptedConsumer>("mqtt-scripted-consumer", (options, context) => new MqttScriptedConsumer(options, context));
    }
}
