namespace EnergyHub.Plugins.Mqtt;

/// <summary>Registers the generic MQTT device drivers.</summary>
public sealed class MqttPlugin : IPlugin
{
    public void Register(IPluginRegistry registry) =>
        registry.AddDevice<MqttMeterOptions, MqttMeter>("mqtt-meter", (options, context) => new MqttMeter(options, context));
}
