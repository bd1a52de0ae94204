using System.Text.Json;
using EnergyHub.Core.Journal;

namespace EnergyHub.Core.Fleet;

/// <summary>
/// What the fleet knows of each site, from the messages below <see cref="FleetOptions.Prefix"/>, and the journal records
/// each message becomes: a summary's balance as <c>{site}/balance/PvW</c> ..., a device's state document as
/// <c>{site}/{device}/{value}</c>. Pure: the monitor feeds it messages and hands the records to the journal.
/// </summary>
/// <remarks>
/// Records are kept at the sites' wall-clock time: a summary at its <see cref="SiteSummary.SentUtc"/>, a device's
/// readings at their time plus the site's clock offset (sent − site time of its last summary). A site whose clock is
/// simulated or wrong then cannot put the fleet's history in the past, and retention treats every site alike.
/// </remarks>
public sealed class FleetState(FleetOptions options, TimeProvider time)
{
    private readonly Dictionary<string, Entry> _sites = new(StringComparer.Ordinal);
    private long _messages;
    private long _rejected;

    private sealed class Entry
    {
        public SiteSummary? Summary;
        public DateTimeOffset? ReceivedUtc;
        public string? Presence;
        public DateTimeOffset LastJournaled = DateTimeOffset.MinValue;
        public TimeSpan ClockOffset;
        public long Messages;
    }

    /// <summary>Messages taken so far.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Messages that were not what their topic says (bad JSON, a summary without a time): counted and skipped.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>The filters to subscribe to.</summary>
    public IReadOnlyList<string> Filters =>
        [$"{options.Prefix}/+/summary", $"{options.Prefix}/+/$SYS/Status", .. options.DeviceReadings ? new[] { $"{options.Prefix}/+/+/state" } : []];

    /// <summary>Takes one message; returns the journal records it makes (none for presence, a repeat or a rejected message).</summary>
    public IReadOnlyList<JournalRecord> Take(string topic, ReadOnlySpan<byte> payload)
    {
        Interlocked.Increment(ref _messages);
        if (!topic.StartsWith(options.Prefix + "/", StringComparison.Ordinal))
        {
            return [];
        }
        var levels = topic[(options.Prefix.Length + 1)..].Split('/');
        return levels switch
        {
            [var site, "summary"] => Summary(site, payload),
            [var site, "$SYS", "Status"] => Presence(site, System.Text.Encoding.UTF8.GetString(payload)),
            [var site, var device, "state"] when options.DeviceReadings => DeviceState(site, device, payload),
            _ => [],
        };
    }

    private IReadOnlyList<JournalRecord> Summary(string site, ReadOnlySpan<byte> payload)
    {
        if (SiteSummary.Parse(payload) is not { } summary)
        {
            Interlocked.Increment(ref _rejected);
            return [];
        }
        lock (_sites)
        {
            var entry = EntryOf(site);
            entry.Summary = summary;
            entry.ReceivedUtc = time.GetUtcNow();
            entry.Messages++;
            if (summary.Time <= entry.LastJournaled)
            {
                return []; // the retained summary again after a reconnect
            }
            entry.LastJournaled = summary.Time;
            entry.ClockOffset = summary.SentUtc - summary.Time;
        }
        var device = $"{site}/{SiteJournal.BalanceDevice}";
        var records = new List<JournalRecord>(5);
        void Add(string name, string unit, double? value)
        {
            if (value is { } v && double.IsFinite(v))
            {
                records.Add(new ReadingRecord(summary.SentUtc, $"{device}/{name}", device, unit, v));
            }
        }
        Add("PvW", "W", summary.PvW);
        Add("GridW", "W", summary.GridW);
        Add("BatteryW", "W", summary.BatteryW);
        Add("LoadW", "W", summary.LoadW);
        Add("SocPct", "%", summary.SocPct);
        return records;
    }

    private IReadOnlyList<JournalRecord> Presence(string site, string text)
    {
        lock (_sites)
        {
            EntryOf(site).Presence = text.Trim();
        }
        return [];
    }

    private IReadOnlyList<JournalRecord> DeviceState(string site, string deviceId, ReadOnlySpan<byte> payload)
    {
        TimeSpan offset;
        lock (_sites)
        {
            offset = EntryOf(site).ClockOffset; // a site that publishes readings but no summary shows, as Stale
        }
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            var root = document.RootElement;
            var at = root.GetProperty("timestamp").GetDateTimeOffset() + offset;
            var units = root.TryGetProperty("units", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
            var device = $"{site}/{deviceId}";
            var records = new List<JournalRecord>();
            foreach (var value in root.GetProperty("values").EnumerateObject())
            {
                if (value.Value.ValueKind == JsonValueKind.Number && value.Value.GetDouble() is var v && double.IsFinite(v))
                {
                    var unit = units.ValueKind == JsonValueKind.Object && units.TryGetProperty(value.Name, out var un) ? un.GetString() ?? "" : "";
                    records.Add(new ReadingRecord(at, $"{device}/{value.Name}", device, unit, v));
                }
            }
            return records;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            Interlocked.Increment(ref _rejected);
            return [];
        }
    }

    private Entry EntryOf(string site)
    {
        if (!_sites.TryGetValue(site, out var entry))
        {
            _sites[site] = entry = new Entry();
        }
        return entry;
    }

    /// <summary>Every site heard of, by id, with its status now.</summary>
    public IReadOnlyList<FleetSite> Sites()
    {
        var now = time.GetUtcNow();
        lock (_sites)
        {
            return _sites.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s =>
            {
                var (summary, received) = (s.Value.Summary, s.Value.ReceivedUtc);
                var age = summary is null ? (TimeSpan?)null : now - summary.SentUtc;
                var status = s.Value.Presence == "Offline" ? FleetSiteStatus.Offline
                    : summary is null || age > options.StaleAfter ? FleetSiteStatus.Stale
                    : summary.Devices.Values.Any(h => h != nameof(EnergyHub.Site.DeviceHealth.Online)) ? FleetSiteStatus.Degraded
                    : FleetSiteStatus.Online;
                return new FleetSite(s.Key, status, summary, age, received - summary?.SentUtc, s.Value.Messages);
            }).ToList();
        }
    }
}

/// <summary>How a site of the fleet is doing.</summary>
public enum FleetSiteStatus
{
    /// <summary>Its summary is fresh and every device is online.</summary>
    Online,

    /// <summary>Its summary is fresh, but a device is not online.</summary>
    Degraded,

    /// <summary>No summary within <see cref="FleetOptions.StaleAfter"/> (or none yet).</summary>
    Stale,

    /// <summary>It said Offline, or the broker sent its will.</summary>
    Offline,
}

/// <summary>One site of the fleet.</summary>
/// <param name="Id">Its topic level below the fleet's prefix.</param>
/// <param name="Status">How it is doing now.</param>
/// <param name="Summary">Its last summary, if any.</param>
/// <param name="Age">How long ago its last summary was sent.</param>
/// <param name="Lag">How long its last summary took from the site to the fleet.</param>
/// <param name="Summaries">Summaries received.</param>
public sealed record FleetSite(string Id, FleetSiteStatus Status, SiteSummary? Summary, TimeSpan? Age, TimeSpan? Lag, long Summaries);
