using EnergyHub.Readings;
using System.Text.Json;
using System.Threading.Channels;
using EnergyHub.Core.Commands;
using EnergyHub.Core.Devices;

namespace EnergyHub.Core.Events;

/// <summary>One event of the live stream: a reading, a decision, a command or a health change.</summary>
/// <param name="Id">Increasing id (the SSE event id; a client resumes with Last-Event-ID).</param>
/// <param name="Type">reading, decision, command or health.</param>
/// <param name="Json">The payload, JSON with units in the field names and times in ISO 8601 UTC.</param>
public sealed record SiteEvent(long Id, string Type, string Json);

/// <summary>
/// The live stream of what happens on the site, for SSE clients: the last <see cref="Capacity"/> events are kept so a
/// client that reconnects with Last-Event-ID misses nothing recent; each subscriber has its own bounded queue, so a
/// slow client never slows the site (its oldest events are dropped instead).
/// </summary>
public sealed class SiteEvents
{
    public const int Capacity = 2000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly object _gate = new();
    private readonly Queue<SiteEvent> _recent = new();
    private readonly List<Channel<SiteEvent>> _subscribers = [];
    private long _nextId;

    /// <summary>Wires the site's sources into the stream.</summary>
    public SiteEvents(SiteState site, CommandAuditLog audit, DecisionLog decisions)
    {
        site.ReadingRecorded += (device, reading) =>
        {
            Publish("reading", new
            {
                device,
                timestamp = reading.Timestamp,
                values = ReadingSeries.Flatten(reading).Select(v => new { series = v.Name, value = v.Value, unit = v.Unit }),
            });
            Publish("site", BalanceJson(site.Snapshot().Balance));
        };
        site.HealthChanged += h => Publish("health", new { time = h.Time, device = h.DeviceId, before = h.Before.ToString(), after = h.After.ToString(), error = h.Error });
        audit.Recorded += entry => Publish("command", new
        {
            time = entry.Timestamp, device = entry.Request.DeviceId, command = entry.Request.Command, value = entry.Request.Value,
            source = entry.Request.Source, reason = entry.Request.Reason, status = entry.Result.Status.ToString(), detail = entry.Result.Detail,
        });
        decisions.Recorded += entry => Publish("decision", new { time = entry.Time, service = entry.Service, decision = entry.Decision, details = (object)entry.Details });
    }

    /// <summary>The site's totals as the stream and <c>/api/state</c> carry them.</summary>
    public static object BalanceJson(EnergyHub.Site.SiteBalance balance) => new
    {
        gridW = balance.GridW, pvW = balance.PvW, batteryW = balance.BatteryW, loadW = balance.LoadW, socPct = balance.SocPct, gridMeter = balance.GridMeter,
        batteryTimeToGoS = balance.BatteryTimeToGo is { } ttg ? Math.Round(ttg.Time.TotalSeconds) : (double?)null,
        batteryGoal = balance.BatteryTimeToGo?.Goal.ToString(),
    };

    /// <summary>Adds an event.</summary>
    public SiteEvent Publish(string type, object payload)
    {
        var json = JsonSerializer.Serialize(payload, Json);
        lock (_gate)
        {
            var e = new SiteEvent(++_nextId, type, json);
            _recent.Enqueue(e);
            while (_recent.Count > Capacity)
            {
                _recent.Dequeue();
            }
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(e);
            }
            return e;
        }
    }

    /// <summary>
    /// The kept events after <paramref name="lastId"/> (a client resuming), or with no <paramref name="lastId"/> the last
    /// <paramref name="replayForNew"/> events (a new client), and a live subscription for the rest (dispose it when done).
    /// </summary>
    public (IReadOnlyList<SiteEvent> Missed, ChannelReader<SiteEvent> Live, IDisposable Subscription) Subscribe(long? lastId, int replayForNew = Capacity)
    {
        var channel = Channel.CreateBounded<SiteEvent>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _subscribers.Add(channel);
            var missed = lastId is { } after ? _recent.Where(e => e.Id > after).ToList() : _recent.TakeLast(replayForNew).ToList();
            return (missed, channel.Reader, new Unsubscribe(this, channel));
        }
    }

    private sealed class Unsubscribe(SiteEvents owner, Channel<SiteEvent> channel) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._subscribers.Remove(channel);
            }
            channel.Writer.TryComplete();
        }
    }
}
