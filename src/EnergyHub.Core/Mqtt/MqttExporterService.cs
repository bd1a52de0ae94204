using System.Globalization;
using System.Text;
using System.Text.Json;
using EnergyHub.Observers;
using EnergyHub.Plugins;
using EnergyHub.Protocols.Mqtt;
using EnergyHub.Services;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Mqtt;

/// <summary>
/// Publishes readings and health to the site's broker, retained, as <c>{prefix}/{device}/{Part}/{Value}</c> (e.g.
/// <c>energyhub/grid/Meter/PowerW</c>, units and signs as in the SDK), one JSON document per device on
/// <c>{prefix}/{device}/state</c>, and <c>{prefix}/{device}/health</c>. A value is published when it changes (at most
/// once per <see cref="MqttExporterOptions.Throttle"/>) and again after <see cref="MqttExporterOptions.Heartbeat"/>.
/// It observes the site and commands nothing; a broker that is away costs dropped QoS 0 messages, never a delay.
/// </summary>
/// <remarks>With <see cref="MqttExporterOptions.HomeAssistant"/> every series is also announced once per connection by
/// Home Assistant MQTT discovery (<see cref="HomeAssistantDiscovery"/>), and so is every setting of the services running
/// (a number or a select that commands <c>{prefix}/{Service}/{Name}/set</c>).</remarks>
public sealed class MqttExporterService(MqttExporterOptions options, MqttSite site, TimeProvider time, ILogger logger, IServiceSettings? settings = null) : IService, ISiteObserver
{
    public const string ServiceName = "MqttExporter";

    /// <summary>The exporter on the site's broker and settings as the plugin context shares them.</summary>
    public static MqttExporterService Create(MqttExporterOptions options, ServiceContext context) =>
        new(options, MqttSite.From(context.Shared, ServiceName), context.Time, context.Logger,
            context.Shared.TryGet<IServiceSettings>(IServiceSettings.SharedKey, out var settings) ? settings : null);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, (string Text, DateTimeOffset At)> _published = new(StringComparer.Ordinal);
    private readonly HashSet<string> _devices = new(options.Devices, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HashSet<string>> _series = options.Series
        .Select(entry => entry.Split('/'))
        .GroupBy(parts => parts[0], StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.Select(parts => parts[1]).ToHashSet(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
    private bool _seriesChecked;

    public string Name => ServiceName;

    private int _connection;

    /// <summary>
    /// After every (re)connect publishes every device's health as it is and lets every value go out again (the broker may
    /// have lost retained messages); otherwise re-publishes every value whose heartbeat is due.
    /// </summary>
    public async Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        if (!_seriesChecked)
        {
            _seriesChecked = true;
            foreach (var device in _series.Keys.Where(d => !tick.Site.Devices.ContainsKey(d)))
            {
                logger.LogWarning("[MqttExporter] Series names device '{Device}', which this site does not have (it has {Devices}); nothing of it is published",
                    device, string.Join(", ", tick.Site.Devices.Keys.Order(StringComparer.Ordinal)));
            }
        }
        if (site.Bus.Connections != _connection && site.Bus.IsConnected)
        {
            _connection = site.Bus.Connections;
            lock (_published)
            {
                _published.Clear();
            }
            foreach (var device in tick.Site.Devices.Values.Where(d => Wanted(d.Id)))
            {
                await PublishAsync($"{site.TopicPrefix}/{device.Id}/health", device.Health.ToString(), cancellationToken).ConfigureAwait(false);
            }
        }
        if (options.HomeAssistant && settings is not null)
        {
            // A service's settings appear with its first tick: each is announced on the next tick after, once per connection.
            foreach (var (service, setting) in settings.All().Where(s => !Announced(HomeAssistantDiscovery.SettingTopicOf(site.SiteName, s.Service, s.Setting))))
            {
                var discovery = HomeAssistantDiscovery.ForSetting(site.SiteName, site.TopicPrefix, service, setting);
                await PublishAsync(discovery.Topic, discovery.Payload, cancellationToken).ConfigureAwait(false);
            }
        }
        // The batteries' time to full or to the reserve (es-ESS's time-to-go), in whole minutes so it is sent when it moves.
        var timeToGo = tick.Site.Balance.BatteryTimeToGo;
        await PublishAsync($"{site.TopicPrefix}/site/Battery/TimeToGoMin",
            timeToGo is null ? "" : Math.Round(timeToGo.Time.TotalMinutes).ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        await PublishAsync($"{site.TopicPrefix}/site/Battery/Goal", timeToGo?.Goal.ToString() ?? "Idle", cancellationToken).ConfigureAwait(false);
        List<(string Topic, string Text)> due;
        lock (_published)
        {
            due = _published.Where(p => tick.Now - p.Value.At >= options.Heartbeat).Select(p => (p.Key, p.Value.Text)).ToList();
        }
        foreach (var (topic, text) in due)
        {
            await SendAsync(topic, text, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Commands nothing, so there is nothing to restore.</summary>
    public Task StopAsync(ServiceTick tick, CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask ObserveAsync(SiteObservation observation, CancellationToken cancellationToken)
    {
        switch (observation)
        {
            case ReadingObserved reading when Wanted(reading.DeviceId):
                var values = reading.Values.Where(v => Wanted(reading.DeviceId, v.Name)).ToList();
                if (options.HomeAssistant)
                {
                    // Announced once per connection (and again by the heartbeat); not rebuilt for every reading.
                    foreach (var value in values.Where(v => !Announced(HomeAssistantDiscovery.TopicOf(site.SiteName, reading.DeviceId, v.Name))))
                    {
                        var discovery = HomeAssistantDiscovery.For(site.SiteName, site.TopicPrefix, reading.DeviceId, value);
                        await PublishAsync(discovery.Topic, discovery.Payload, cancellationToken).ConfigureAwait(false);
                    }
                }
                foreach (var value in values)
                {
                    await PublishAsync($"{site.TopicPrefix}/{reading.DeviceId}/{value.Name.Replace('.', '/')}",
                        value.Value.ToString("R", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
                }
                var state = JsonSerializer.Serialize(new
                {
                    timestamp = reading.Reading.Timestamp,
                    values = values.ToDictionary(v => v.Name, v => v.Value),
                    units = values.ToDictionary(v => v.Name, v => v.Unit),
                }, Json);
                await PublishAsync($"{site.TopicPrefix}/{reading.DeviceId}/state", state, cancellationToken).ConfigureAwait(false);
                break;
            case HealthObserved health when Wanted(health.DeviceId):
                await PublishAsync($"{site.TopicPrefix}/{health.DeviceId}/health", health.After.ToString(), cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private bool Announced(string topic)
    {
        lock (_published)
        {
            return _published.ContainsKey(topic);
        }
    }

    private bool Everything => _devices.Count == 0 && _series.Count == 0;

    private bool Wanted(string device) => Everything || _devices.Contains(device) || _series.ContainsKey(device);

    private bool Wanted(string device, string series) =>
        Everything || _devices.Contains(device) || (_series.TryGetValue(device, out var wanted) && (wanted.Contains("*") || wanted.Contains(series)));

    // Publishes a change at once unless the topic's throttle holds it back; the state document changes with every new
    // reading (its timestamp), so a device read again without news (a push device) publishes nothing.
    private async Task PublishAsync(string topic, string text, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_published)
        {
            if (_published.TryGetValue(topic, out var last)
                && ((last.Text == text && now - last.At < options.Heartbeat) || now - last.At < options.Throttle))
            {
                return;
            }
        }
        await SendAsync(topic, text, cancellationToken).ConfigureAwait(false);
    }

    // Only what went out counts as published: a value dropped while the broker was away goes out with the next reading.
    private async Task SendAsync(string topic, string text, CancellationToken cancellationToken)
    {
        if (await site.Bus.PublishAsync(new MqttMessage(topic, Encoding.UTF8.GetBytes(text), MqttQos.AtMostOnce, Retain: true), cancellationToken).ConfigureAwait(false))
        {
            lock (_published)
            {
                _published[topic] = (text, time.GetUtcNow());
            }
        }
    }
}
