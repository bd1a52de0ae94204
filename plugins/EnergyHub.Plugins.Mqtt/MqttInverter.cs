using EnergyHub.Devices;
using EnergyHub.Readings;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>A PV inverter that reports its AC power (and lifetime yield) on topics of the site's broker; read-only.</summary>
public sealed class MqttInverter(MqttInverterOptions options, DeviceContext context)
    : MqttPushDevice(context, options.Main, new MqttValue(nameof(options.EnergyTopic), options.EnergyTopic, options.EnergyValuePath, options.EnergyScale)), IInverter
{
    /// <inheritdoc />
    public override string DisplayName => $"MQTT PV inverter on {options.Topic}";

    /// <inheritdoc />
    public double RatedPowerW => options.RatedPowerW;

    /// <inheritdoc />
    protected override DeviceReading Build(DateTimeOffset timestamp, IReadOnlyList<double?> values, string rawPayload) => new()
    {
        Timestamp = timestamp,
        // The AC side is all this driver knows; it stands for PV as well (no battery behind a micro-inverter).
        Inverter = new InverterReading(PvPowerW: values[0]!.Value, AcPowerW: values[0]!.Value) { TotalEnergyWh = values[1] },
        RawPayload = rawPayload,
    };
}
