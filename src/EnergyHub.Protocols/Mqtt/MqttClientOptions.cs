namespace EnergyHub.Protocols.Mqtt;

/// <summary>How an <see cref="MqttClient"/> connects and behaves while the broker is away.</summary>
public sealed record MqttClientOptions
{
    /// <summary>Broker host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>Broker port: 1883, or 8883 with TLS.</summary>
    public int Port { get; init; } = 1883;

    /// <summary>The client id; a second connection with the same id makes the broker drop the first.</summary>
    public string ClientId { get; init; } = "energyhub";

    /// <summary>True: the broker forgets the session at disconnect; false: it keeps subscriptions and queues QoS 1 messages.</summary>
    public bool CleanSession { get; init; } = true;

    /// <summary>The client sends something at least this often (PINGREQ when idle); the broker drops it after 1.5× of silence.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>User name, if the broker wants one.</summary>
    public string? Username { get; init; }

    /// <summary>Password (needs <see cref="Username"/>).</summary>
    public string? Password { get; init; }

    /// <summary>What the broker publishes if this client vanishes without a DISCONNECT.</summary>
    public MqttWill? Will { get; init; }

    /// <summary>Wrap the connection in TLS.</summary>
    public bool UseTls { get; init; }

    /// <summary>Accept a certificate that does not validate (a self-signed broker on the LAN). Off by default.</summary>
    public bool AllowUntrustedCertificate { get; init; }

    /// <summary>A PEM file with the certificate authority the broker's certificate must chain to (a private CA); empty = the system's.</summary>
    public string? CaFile { get; init; }

    /// <summary>How long connecting (TCP, TLS, CONNECT/CONNACK) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait before the first reconnect; doubles with every further failure.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnect attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Messages kept while offline; when full the oldest is dropped (and counted, and logged).</summary>
    public int MaxQueuedMessages { get; init; } = 10_000;

    /// <summary>QoS 1 messages sent but not yet acknowledged; the sender waits for acknowledgements beyond this.</summary>
    public int MaxInflight { get; init; } = 1000;

    /// <summary>Largest packet accepted from the broker; a larger one is a protocol error, refused before it is read.</summary>
    public int MaxInboundPacketBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// How long a connection must last to count as working again: a broker that accepts and then drops the connection
    /// sooner does not reset the reconnect backoff.
    /// </summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(30);
}
