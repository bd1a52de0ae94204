using System.Text;
using EnergyHub.Core.Scheduling;
using EnergyHub.Protocols.Mqtt;
using EnergyHub.Services;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Mqtt;

/// <summary>
/// Service settings over MQTT (pv-control's command topics): every setting of a switched-on service is published,
/// retained, on <c>{prefix}/{Service}/{Name}</c>. Only with <c>[Mqtt] AcceptSettings = true</c> is a value published to
/// <c>{prefix}/{Service}/{Name}/set</c> checked and applied through <see cref="ServiceSettingsStore"/> (a value that is
/// not allowed, or a setting no switched-on service has, is ignored with one warning line that names what is allowed),
/// and on a new DataDir are the values the broker kept (retained) from before restored, as pv-control restored its mode
/// on start: the subscription is made on connecting, before anything is published, so what arrives flagged retained is
/// the broker's, not ours. Without it the topics are read-only: the broker carries no key, and anyone who may publish
/// there could otherwise change how the site runs.
/// </summary>
public sealed class MqttSettings(MqttBus bus, Config.MqttOptions options, ServiceSettingsStore store, ILogger<MqttSettings> logger) : IHostedService
{
    private readonly string prefix = options.TopicPrefix;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        store.Changed += (service, setting) => _ = PublishAsync(service, setting);
        bus.Connected += () => Task.WhenAll(store.All().Select(s => PublishAsync(s.Service, s.Setting)));
        if (options.SettingsExposure is { } exposure)
        {
            logger.LogWarning("{Exposure}", exposure);
        }
        if (!options.AcceptSettings)
        {
            logger.LogInformation("Settings are published on {Prefix}/<Service>/<Name> read-only; [Mqtt] AcceptSettings = true lets .../set change them", prefix);
            return;
        }
        await bus.SubscribeAsync($"{prefix}/+/+/set", OnSetAsync, cancellationToken).ConfigureAwait(false);
        if (store.StartedFresh)
        {
            await bus.SubscribeAsync($"{prefix}/+/+", OnRetainedAsync, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task OnRetainedAsync(MqttMessage message)
    {
        var parts = message.Topic[(prefix.Length + 1)..].Split('/');
        if (message.Retain && bus.Connections <= 1 && parts.Length == 2 && !parts[0].StartsWith('$'))
        {
            store.Restore(parts[0], parts[1], message.Text);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Task OnSetAsync(MqttMessage message)
    {
        // {prefix}/{Service}/{Name}/set, the prefix itself possibly holding slashes.
        var parts = message.Topic[(prefix.Length + 1)..].Split('/');
        if (parts.Length != 3)
        {
            return Task.CompletedTask;
        }
        // MQTT does not say who published: the topic is all the source there is. A refusal is logged by the store.
        store.Apply(parts[0], parts[1], message.Text, $"MQTT {message.Topic}");
        return Task.CompletedTask;
    }

    private async Task PublishAsync(string service, ServiceSetting setting)
    {
        try
        {
            await bus.PublishAsync(new MqttMessage($"{prefix}/{service}/{setting.Name}", Encoding.UTF8.GetBytes(setting.Current), MqttQos.AtLeastOnce, Retain: true),
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogDebug(ex, "Publishing {Service}/{Name} failed", service, setting.Name);
        }
    }
}
