namespace EnergyHub.Protocols.Mqtt;

/// <summary>How an <see cref="MqttBus"/> connects, and how it retries while the broker is away.</summary>
public sealed record MqttBusOptions
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
}
