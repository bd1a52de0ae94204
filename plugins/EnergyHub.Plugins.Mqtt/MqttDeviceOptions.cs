using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>The keys every generic MQTT device shares: the topic of its main value, where the number is, and its scale.</summary>
[NeedsMqtt]
public abstract class MqttDeviceOptions : DeviceOptions
{
    /// <summary>The exact topic the main value arrives on (no wildcards), e.g. tele/plug/SENSOR or solar/ac/power.</summary>
    [Required]
    [RegularExpression(@"^[^+#]+$", ErrorMessage = "a topic without the wildcards + and #, e.g. tele/plug/SENSOR")]
    public string Topic { get; init; } = "";

    /// <summary>Where the number is in a JSON payload, as dot-separated names, e.g. ENERGY.Power; empty = the payload is the number.</summary>
    public string ValuePath { get; init; } = "";

    /// <summary>What the number is multiplied by to give the SDK unit (W, °C): 1000 for kW, −1 to flip a sign.</summary>
    [Range(-1_000_000.0, 1_000_000.0)]
    public double Scale { get; init; } = 1;

    /// <summary>The main value's source.</summary>
    internal MqttValue Main => new(nameof(Topic), Topic, ValuePath, Scale);
}
