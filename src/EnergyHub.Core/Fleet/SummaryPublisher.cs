using System.Text;
using EnergyHub.Core.Config;
using EnergyHub.Core.Devices;
using EnergyHub.Core.Energy;
using EnergyHub.Protocols.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Fleet;

/// <summary>
/// Publishes the site's <see cref="SiteSummary"/> retained on <c>{TopicPrefix}/summary</c> every
/// <see cref="MqttOptions.SummaryInterval"/> of wall-clock time, for <c>energyhub fleet</c>. QoS 0: a summary missed
/// while the broker is away is replaced by the next.
/// </summary>
public sealed class SummaryPublisher(MqttBus bus, SiteConfig config, SiteState site, TodayEnergyMeter today, ILogger<SummaryPublisher> logger) : BackgroundService
{
    /// <summary>The summary's topic under a prefix.</summary>
    public static string TopicOf(string prefix) => $"{prefix}/summary";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var topic = TopicOf(config.Mqtt.TopicPrefix);
        logger.LogInformation("MQTT: the site's summary goes to {Topic} every {Interval}", topic, Durations.Format(config.Mqtt.SummaryInterval));
        using var timer = new PeriodicTimer(config.Mqtt.SummaryInterval, TimeProvider.System);
        do
        {
            var summary = SiteSummary.Of(config.Common.SiteName, site.Snapshot(), today.Today, TimeProvider.System.GetUtcNow(),
                config.Web.PublicUrl.Length > 0 ? config.Web.PublicUrl : null);
            await bus.PublishAsync(new MqttMessage(topic, Encoding.UTF8.GetBytes(summary.ToJson()), MqttQos.AtMostOnce, Retain: true), stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)); // cancelled on stop: BackgroundService ends quietly
    }
}
