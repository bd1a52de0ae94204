using EnergyHub.Devices;
using EnergyHub.Readings;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>A grid, PV or load meter whose power is pushed on a topic of the site's broker.</summary>
public sealed class MqttMeter(MqttMeterOptions options, DeviceContext context) : MqttPushDevice(context, options.Main), IMeter
{
    /// <inheritdoc />
    public override string DisplayName => $"MQTT meter on {options.Topic}";

    /// <inheritdoc />
    public MeterRole Role => options.Role;

    /// <inheritdoc />
    protected override DeviceReading Build(DateTimeOffset timestamp, IReadOnlyList<double?> values, string rawPayload) =>
        new() { Timestamp = timestamp, Meter = new MeterReading(values[0]!.Value), RawPayload = rawPayload };
}
