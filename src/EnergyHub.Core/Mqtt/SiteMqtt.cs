using System.Text;
using EnergyHub.Core.Config;
using EnergyHub.Protocols.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Mqtt;

/// <summary>
/// The site's MQTT connection (<c>[Mqtt]</c>): one <see cref="MqttBus"/> shared with every service and driver as
/// <see cref="MqttSite"/>, and EnergyHub's presence on <see cref="MqttOptions.StatusTopic"/>: <c>Online</c> retained after
/// every connect, <c>Offline</c> retained on a clean stop, and <c>Offline</c> as the will the broker sends when EnergyHub
/// dies or loses the network. Started first and stopped last, so services publish through it until they have stopped.
/// </summary>
public sealed class SiteMqtt(MqttBus bus, MqttOptions options, ILogger<SiteMqtt> logger) : IHostedService
{
    /// <summary>The bus of a site configured by <paramref name="config"/>: will, credentials, TLS and client id from <c>[Mqtt]</c>.</summary>
    public static MqttBus CreateBus(SiteConfig config, ILogger logger, TimeProvider time)
    {
        var o = config.Mqtt;
        if (o.AllowUntrusted)
        {
            logger.LogWarning("[Mqtt] AllowUntrusted = true: the broker's certificate is not checked, so anyone on the way can read and change every message");
        }
        return new MqttBus(new MqttBusOptions
        {
            Host = o.Host,
            Port = o.Port,
            ClientId = o.ClientId.Length > 0 ? o.ClientId : $"energyhub-{config.Common.SiteName}".Replace(' ', '-'),
            Username = o.User.Length > 0 ? o.User : null,
            Password = o.Password.Length > 0 ? o.Password : null,
            UseTls = o.Tls,
            CaFile = o.CaFile.Length > 0 ? Path.GetFullPath(o.CaFile, config.Document.BaseDirectory) : null,
            AllowUntrustedCertificate = o.AllowUntrusted,
            KeepAlive = o.KeepAlive,
            Will = new MqttWill(o.StatusTopic, Encoding.UTF8.GetBytes("Offline")),
        }, logger, time);
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        bus.Connected += () => bus.PublishAsync(Status("Online"), CancellationToken.None);
        bus.Start();
        logger.LogInformation("MQTT: connecting to {Broker}; presence on {Topic}", bus.Broker, options.StatusTopic);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (bus.IsConnected)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await bus.PublishAsync(Status("Offline"), timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                logger.LogWarning("MQTT: could not publish Offline on {Topic} in time; the broker's retained status may say Online until EnergyHub runs again", options.StatusTopic);
            }
        }
        await bus.DisposeAsync().ConfigureAwait(false);
    }

    private MqttMessage Status(string status) => new(options.StatusTopic, Encoding.UTF8.GetBytes(status), MqttQos.AtLeastOnce, Retain: true);
}
