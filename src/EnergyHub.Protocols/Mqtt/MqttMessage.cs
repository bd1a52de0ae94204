namespace EnergyHub.Protocols.Mqtt;

/// <summary>Quality of service of a message or subscription. QoS 2 is not used by EnergyHub.</summary>
public enum MqttQos : byte
{
    /// <summary>At most once.</summary>
    AtMostOnce = 0,
    /// <summary>At least once: acknowledged, re-sent after a reconnect until it is.</summary>
    AtLeastOnce = 1,
}

/// <summary>A message published or received.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Payload">The bytes, possibly empty (an empty retained message deletes the retained one).</param>
/// <param name="Qos">The quality of service.</param>
/// <param name="Retain">Publishing: the broker keeps it for new subscribers. Receiving: it was kept and is delivered because of a new subscription.</param>
public sealed record MqttMessage(string Topic, ReadOnlyMemory<byte> Payload, MqttQos Qos = MqttQos.AtMostOnce, bool Retain = false)
{
    /// <summary>The payload as UTF-8 text.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Payload.Span);
}

/// <summary>The message a broker publishes for a client that vanishes without saying goodbye.</summary>
/// <param name="Topic">Where.</param>
/// <param name="Payload">What, e.g. "offline".</param>
/// <param name="Qos">With which quality of service.</param>
/// <param name="Retain">Whether the broker keeps it.</param>
public sealed record MqttWill(string Topic, ReadOnlyMemory<byte> Payload, MqttQos Qos = MqttQos.AtLeastOnce, bool Retain = true);
