namespace EnergyHub.Plugins.Mqtt;

/// <summary>Where one value of a generic MQTT device comes from: a topic, a dot path into its JSON payload, a factor.</summary>
/// <param name="Name">The option that configures it (Topic, EnergyTopic, HumidityTopic), for log lines.</param>
/// <param name="Topic">The topic; empty = the value is not configured.</param>
/// <param name="Path">The dot path into a JSON payload; empty = the payload is the number.</param>
/// <param name="Scale">What the number is multiplied by to give the SDK unit.</param>
public sealed record MqttValue(string Name, string Topic, string Path, double Scale)
{
    /// <summary>The value in <paramref name="payload"/>, scaled, or null when there is no number at the path.</summary>
    public double? Read(string payload) => MqttPayload.Parse(payload, Path) is { } value ? Math.Round(value * Scale, 6) : null;
}
