using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;

namespace EnergyHub.Core.Config;

/// <summary>
/// The <c>[Mqtt]</c> section: the site's broker. When enabled, EnergyHub keeps one connection to it for every service and
/// driver that uses MQTT, and announces itself on <c>{TopicPrefix}/$SYS/Status</c>: <c>Online</c> (retained) while it
/// runs, <c>Offline</c> on a clean stop, and <c>Offline</c> as the will when it dies.
/// </summary>
public sealed class MqttOptions : IValidatableObject
{
    /// <summary>Connect to a broker at all.</summary>
    public bool Enabled { get; init; }

    /// <summary>The broker's host name or address.</summary>
    public string Host { get; init; } = "";

    /// <summary>The broker's port: 1883, or 8883 with TLS.</summary>
    [Range(1, 65535)]
    public int Port { get; init; } = 1883;

    /// <summary>The user name, when the broker wants one.</summary>
    public string User { get; init; } = "";

    /// <summary>The password; better set as ENERGYHUB_Mqtt__Password.</summary>
    [Secret]
    public string Password { get; init; } = "";

    /// <summary>Connect over TLS.</summary>
    public bool Tls { get; init; }

    /// <summary>A PEM file with the certificate authority of the broker's certificate (a private CA); empty = the system's.</summary>
    public string CaFile { get; init; } = "";

    /// <summary>Accept a broker certificate that does not validate. Anyone between you and the broker can then read and change everything.</summary>
    public bool AllowUntrusted { get; init; }

    /// <summary>The client id; empty = energyhub-{SiteName}. Two clients with one id throw each other off the broker.</summary>
    public string ClientId { get; init; } = "";

    /// <summary>The first level of every topic EnergyHub publishes.</summary>
    [MinLength(1)]
    public string TopicPrefix { get; init; } = "energyhub";

    /// <summary>How often the connection is checked; the broker sends the will after 1.5 times this without a word.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00")]
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the site's summary (balance, today's energy, device health) is published retained on
    /// <c>{TopicPrefix}/summary</c> for <c>energyhub fleet</c>; 0 = never.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SummaryInterval { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Whether a value published to <c>{TopicPrefix}/{Service}/{Name}/set</c> changes a service setting (and a new
    /// DataDir takes the broker's retained settings). Off by default: anyone who may publish there would otherwise change
    /// how the site runs, past the web API's key. Switch it on only with broker credentials and an ACL that lets no one
    /// else write below the prefix.
    /// </summary>
    public bool AcceptSettings { get; init; }

    /// <summary>
    /// Why accepting settings over MQTT is exposed, for check-config and the log; null when it is off or the broker
    /// asks for credentials.
    /// </summary>
    public string? SettingsExposure => Enabled && AcceptSettings && User.Length == 0
        ? $"[Mqtt] AcceptSettings = true without User: anyone who reaches {Host}:{Port} can change every service setting (a threshold, a mode, a pause). " +
          $"Give the broker a user for EnergyHub and an ACL that lets only it and you write {TopicPrefix}/+/+/set, or set AcceptSettings = false"
        : null;

    /// <summary>The topic EnergyHub's presence is published on.</summary>
    public string StatusTopic => $"{TopicPrefix}/$SYS/Status";

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && string.IsNullOrWhiteSpace(Host))
        {
            yield return new ValidationResult("Enabled = true needs the broker's Host", [nameof(Host)]);
        }
        if (TopicPrefix.IndexOfAny(['#', '+']) >= 0)
        {
            yield return new ValidationResult("TopicPrefix cannot hold the wildcards # or +", [nameof(TopicPrefix)]);
        }
    }
}
