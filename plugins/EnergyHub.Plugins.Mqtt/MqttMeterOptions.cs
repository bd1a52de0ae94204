using System.ComponentModel.DataAnnotations;
using EnergyHub.Devices;
using EnergyHub.Options;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>The keys of a <c>Driver = mqtt-meter</c> device: a meter whose power arrives on a topic of the <c>[Mqtt]</c> broker.</summary>
public sealed class MqttMeterOptions : DeviceOptions
{
    /// <summary>What the meter measures: Grid (+ import, − export), Pv (+ produced) or Load (+ consumed).</summary>
    public MeterRole Role { get; init; } = MeterRole.Load;

    /// <summary>The topic the power arrives on, e.g. tele/plug/SENSOR or solar/ac/power.</summary>
    [Required]
    public string Topic { get; init; } = "";

    /// <summary>Where the number is in a JSON payload, as dot-separated names, e.g. ENERGY.Power; empty = the payload is the number.</summary>
    public string ValuePath { get; init; } = "";

    /// <summary>What the number is multiplied by to give W (1000 for kW, −1 when the device counts export as +).</summary>
    [Range(-1_000_000.0, 1_000_000.0)]
    public double Scale { get; init; } = 1;
}
