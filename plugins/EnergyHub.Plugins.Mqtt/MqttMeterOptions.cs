using EnergyHub.Devices;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>The keys of a <c>Driver = mqtt-meter</c> device: a meter whose power (W) arrives on a topic of the <c>[Mqtt]</c> broker.</summary>
public sealed class MqttMeterOptions : MqttDeviceOptions
{
    /// <summary>What the meter measures: Grid (+ import, − export), Pv (+ produced) or Load (+ consumed).</summary>
    public MeterRole Role { get; init; } = MeterRole.Load;
}
