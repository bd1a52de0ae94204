namespace EnergyHub.Protocols.Mqtt;

/// <summary>
/// The site's broker as services and drivers find it in the shared resources under <see cref="SharedKey"/> when
/// <c>[Mqtt]</c> is on: its bus, and the first level of every topic EnergyHub publishes.
/// </summary>
/// <param name="Bus">The site's one connection to the broker.</param>
/// <param name="TopicPrefix">E.g. <c>energyhub</c>.</param>
/// <param name="SiteName">The site's name (<c>[Common] SiteName</c>), for ids that must differ between two sites on one broker.</param>
public sealed record MqttSite(MqttBus Bus, string TopicPrefix, string SiteName)
{
    /// <summary>The key in <see cref="Plugins.ISharedResources"/>.</summary>
    public const string SharedKey = "mqtt";

    /// <summary>The site's broker from <paramref name="shared"/>.</summary>
    /// <exception cref="InvalidOperationException">[Mqtt] is not enabled.</exception>
    public static MqttSite From(Plugins.ISharedResources shared, string who) =>
        shared.TryGet<MqttSite>(SharedKey, out var site)
            ? site
            : throw new InvalidOperationException($"{who} publishes to MQTT, but [Mqtt] is not enabled: set Enabled = true and Host in [Mqtt]");
}
