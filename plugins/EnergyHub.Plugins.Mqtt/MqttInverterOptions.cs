using System.ComponentModel.DataAnnotations;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>
/// The keys of a <c>Driver = mqtt-inverter</c> device: a PV inverter (an OpenDTU, a Hoymiles or an Ahoy, say) whose AC
/// power (W, + produced) arrives on <see cref="MqttDeviceOptions.Topic"/> and, optionally, its lifetime yield on
/// <see cref="EnergyTopic"/>. It only reports; it cannot be curtailed.
/// </summary>
public sealed class MqttInverterOptions : MqttDeviceOptions
{
    /// <summary>The inverter's rated AC power in W, from its nameplate; 0 = unknown.</summary>
    [Range(0, 1_000_000)]
    public double RatedPowerW { get; init; }

    /// <summary>The exact topic of the lifetime yield, e.g. solar/ac/yieldtotal; empty = not reported.</summary>
    [RegularExpression(@"^[^+#]*$", ErrorMessage = "a topic without the wildcards + and #")]
    public string EnergyTopic { get; init; } = "";

    /// <summary>Where the yield is in a JSON payload on <see cref="EnergyTopic"/>; empty = the payload is the number.</summary>
    public string EnergyValuePath { get; init; } = "";

    /// <summary>What the yield is multiplied by to give Wh: 1000 for kWh (OpenDTU's yieldtotal).</summary>
    [Range(-1_000_000.0, 1_000_000.0)]
    public double EnergyScale { get; init; } = 1;
}
