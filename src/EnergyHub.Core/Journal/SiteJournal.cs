using EnergyHub.Readings;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using EnergyHub.Core.Commands;
using EnergyHub.Core.Config;
using EnergyHub.Core.Devices;
using EnergyHub.Core.Events;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Journal;

/// <summary>
/// The journal: readings, decisions, commands and health changes, kept in an <see cref="IJournalStore"/> (SQLite or
/// PostgreSQL). Records are queued by the control path and written in one transaction per flush by
/// <see cref="FlushAsync"/>, so a slow disk or database never delays a tick and a kill -9 loses at most the batch being
/// written. A batch that fails (disk full, database locked or away) is kept and written before anything newer, and
/// everything waiting, that batch included, stays within the capacity: raw readings are dropped first (oldest first),
/// decisions, commands and health changes only when they alone fill it; every drop is counted.
/// </summary>
public sealed class SiteJournal : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IJournalStore _store;
    private readonly JournalOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<ReadingRecord> _readings = new();
    private readonly ConcurrentQueue<JournalRecord> _events = new();
    private readonly SemaphoreSlim _writer = new(1, 1);
    private List<JournalRecord> _retry = [];
    private int _retryCount;
    private long _dropped;
    private long _droppedLogged;
    private long _written;
    private DateTimeOffset _balanceKept = DateTimeOffset.MinValue;

    /// <summary>A journal in <paramref name="store"/>.</summary>
    public SiteJournal(IJournalStore store, JournalOptions options, ILogger logger) => (_store, _options, _logger) = (store, options, logger);

    /// <summary>A journal in the SQLite file at <paramref name="path"/> (created when missing).</summary>
    public SiteJournal(string path, JournalOptions options, ILogger logger) : this(new SqliteJournalStore(path), options, logger)
    {
    }

    /// <summary>The journal <paramref name="config"/> asks for: its SQLite file, or its PostgreSQL database (connected and migrated on first use).</summary>
    public static SiteJournal Open(SiteConfig config, ILogger logger) => new(config.Journal.Backend == JournalBackend.Postgres
        ? new PostgresJournalStore(config.Journal.ConnectionString, logger)
        : new SqliteJournalStore(config.JournalPath), config.Journal, logger);

    /// <summary>Records waiting to be written, a failed batch kept for the next flush included.</summary>
    public int QueueDepth => _readings.Count + _events.Count + Volatile.Read(ref _retryCount);

    /// <summary>Records dropped because the queue was full (raw readings first) or lost at shutdown.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>True while the last flush failed.</summary>
    public bool Failing { get; private set; }

    /// <summary>Records written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Where the records are, for messages: the SQLite file, or the PostgreSQL host and database.</summary>
    public string Location => _store.Location;

    /// <summary>Queues everything the site, the command gate and the services report.</summary>
    public void Attach(SiteState site, CommandAuditLog audit, DecisionLog decisions)
    {
        site.ReadingRecorded += (device, reading) =>
        {
            foreach (var value in ReadingSeries.Flatten(reading))
            {
                Add(new ReadingRecord(reading.Timestamp, $"{device}/{value.Name}", device, value.Unit, value.Value));
            }
            // Devices polled together report within milliseconds of each other: the balance once a second is enough.
            if (reading.Timestamp - _balanceKept < TimeSpan.FromSeconds(1))
            {
                return;
            }
            _balanceKept = reading.Timestamp;
            foreach (var (name, unit, value) in BalanceSeries(site.Snapshot().Balance))
            {
                Add(new ReadingRecord(reading.Timestamp, $"{BalanceDevice}/{name}", BalanceDevice, unit, value));
            }
        };
        site.HealthChanged += h => Add(new HealthRecord(h.Time, h.DeviceId, h.After.ToString(), h.Error));
        audit.Recorded += e =>
        {
            Add(new CommandRecord(e.Timestamp, e.Request.DeviceId, e.Request.Command, e.Request.Value, e.Request.Source,
                e.Request.Reason, e.Result.Status.ToString(), e.Result.Detail));
            if (e.Result.Status == EnergyHub.Commands.CommandStatus.Sent)
            {
                // What the services set, as a series the history can draw over the readings (command/heater.AllowanceW).
                Add(new ReadingRecord(e.Timestamp, $"{CommandDevice}/{e.Request.DeviceId}.{e.Request.Command}", CommandDevice, Conventions.UnitOf(e.Request.Command) ?? "", e.Request.Value));
            }
        };
        decisions.Recorded += d => Add(new DecisionRecord(d.Time, d.Service, d.Decision, JsonSerializer.Serialize(d.Details, d.Details.GetType(), Json)));
    }

    /// <summary>The device name under which the site's balance is kept (<c>balance/PvW</c>, ...): the flows counted once, as the page shows them.</summary>
    public const string BalanceDevice = "balance";

    /// <summary>The device name under which commands in force are kept as series (<c>command/heater.AllowanceW</c>).</summary>
    public const string CommandDevice = "command";

    private static IEnumerable<(string Name, string Unit, double Value)> BalanceSeries(EnergyHub.Site.SiteBalance b)
    {
        if (b.PvW is { } pv) yield return ("PvW", "W", pv);
        if (b.GridW is { } grid) yield return ("GridW", "W", grid);
        if (b.BatteryW is { } battery) yield return ("BatteryW", "W", battery);
        if (b.LoadW is { } load) yield return ("LoadW", "W", load);
        if (b.SocPct is { } soc) yield return ("SocPct", "%", soc);
    }

    /// <summary>Queues a record; never blocks.</summary>
    public void Add(JournalRecord record)
    {
        if (record is ReadingRecord reading)
        {
            _readings.Enqueue(reading);
            while (_readings.Count + Volatile.Read(ref _retryCount) > _options.QueueCapacity && _readings.TryDequeue(out _))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
        else
        {
            _events.Enqueue(record);
        }
    }

    /// <summary>Writes everything queued, in one transaction. Returns the number of records written.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var dropped = Dropped;
            if (dropped > _droppedLogged)
            {
                _logger.LogWarning("Journal queue full: dropped {Count} raw readings so far (the oldest first); decisions and commands are kept", dropped);
                _droppedLogged = dropped;
            }
            // Take the batch first: if the write fails, it is kept and written before anything newer.
            var batch = _retry;
            _retry = [];
            Volatile.Write(ref _retryCount, 0);
            while (_readings.TryDequeue(out var queuedReading))
            {
                batch.Add(queuedReading);
            }
            while (_events.TryDequeue(out var queuedEvent))
            {
                batch.Add(queuedEvent);
            }
            if (batch.Count == 0)
            {
                return 0;
            }
            try
            {
                await _store.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Failing = true;
                _retry = Bounded(batch);
                Volatile.Write(ref _retryCount, _retry.Count);
                throw;
            }
            Failing = false;
            Interlocked.Add(ref _written, batch.Count);
            return batch.Count;
        }
        finally
        {
            _writer.Release();
        }
    }

    // The failed batch and what is still queued stay within the capacity: the oldest raw readings go first, then the
    // oldest other records.
    private List<JournalRecord> Bounded(List<JournalRecord> batch)
    {
        var excess = batch.Count + _readings.Count + _events.Count - _options.QueueCapacity;
        if (excess <= 0)
        {
            return batch;
        }
        var kept = new List<JournalRecord>(batch.Count);
        foreach (var record in batch)
        {
            if (excess > 0 && record is ReadingRecord)
            {
                excess--;
                Interlocked.Increment(ref _dropped);
                continue;
            }
            kept.Add(record);
        }
        if (excess > 0)
        {
            var cut = Math.Min(excess, kept.Count);
            kept.RemoveRange(0, cut);
            Interlocked.Add(ref _dropped, cut);
        }
        return kept;
    }

    /// <summary>Takes everything still waiting, in order (the failed batch first), leaving the queue empty.</summary>
    public List<JournalRecord> TakeQueued()
    {
        var taken = _retry;
        _retry = [];
        Volatile.Write(ref _retryCount, 0);
        while (_readings.TryDequeue(out var reading))
        {
            taken.Add(reading);
        }
        while (_events.TryDequeue(out var record))
        {
            taken.Add(record);
        }
        return taken;
    }

    /// <summary>Counts <paramref name="count"/> records as lost at shutdown: they reached neither the journal nor a spill file.</summary>
    public void CountLost(int count)
    {
        Interlocked.Add(ref _dropped, count);
        LostAtShutdown += count;
    }

    /// <summary>Records that reached neither the journal nor a spill file at shutdown; the process exits non-zero when any were.</summary>
    public int LostAtShutdown { get; private set; }

    /// <summary>Writes <paramref name="records"/> (a spill file's) straight to the store, past the queue; throws when the store does.</summary>
    public async Task ImportAsync(IReadOnlyList<JournalRecord> records, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _store.WriteAsync(records, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _written, records.Count);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Downsamples readings older than <see cref="JournalOptions.FullResolution"/> into minute averages and deletes
    /// everything older than <see cref="JournalOptions.Retention"/>. Returns (rows averaged, rows deleted).
    /// </summary>
    public (long Averaged, long Deleted) ApplyRetention(DateTimeOffset now) => _store.ApplyRetention(now - _options.FullResolution, now - _options.Retention);

    /// <summary>
    /// At most <paramref name="points"/> buckets of <paramref name="series"/> between the two instants, each with the
    /// min, average and max inside it (spikes kept). Buckets of a day or more are read from the daily rollup, of an
    /// hour or more from the hourly one (rollup rows fall into the bucket their start is in), shorter ones from the raw
    /// values and minute averages.
    /// </summary>
    public Task<List<HistoryPoint>> HistoryAsync(string series, DateTimeOffset from, DateTimeOffset to, int points, CancellationToken cancellationToken = default) =>
        _store.HistoryAsync(series, from, to, points, cancellationToken);

    /// <summary>Every series the journal holds, with device and unit.</summary>
    public List<(string Series, string Device, string Unit)> Series() => _store.Series();

    /// <summary>
    /// Decisions with an id above <paramref name="sinceId"/>, oldest first, at most <paramref name="limit"/>; only of
    /// <paramref name="service"/> and from <paramref name="from"/> on when given.
    /// </summary>
    public Task<List<StoredDecision>> DecisionsAsync(long sinceId, int limit, string? service = null, DateTimeOffset? from = null,
        CancellationToken cancellationToken = default) => _store.DecisionsAsync(sinceId, limit, service, from, cancellationToken);

    /// <summary>Writes the raw values of <paramref name="series"/> between the instants as CSV (time, then one column per series).</summary>
    public long ExportCsv(IReadOnlyList<string> series, DateTimeOffset from, DateTimeOffset to, TextWriter output, IProgress<double>? progress = null)
    {
        output.WriteLine("time_utc," + string.Join(",", series));
        var column = series.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i);
        long rows = 0;
        long? current = null;
        var values = new string[series.Count];
        var span = Math.Max(1, to.ToUnixTimeMilliseconds() - from.ToUnixTimeMilliseconds());
        void WriteRow()
        {
            if (current is { } ts)
            {
                output.WriteLine(DateTimeOffset.FromUnixTimeMilliseconds(ts).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) + "," + string.Join(",", values));
                rows++;
                Array.Fill(values, "");
                if (rows % 10_000 == 0)
                {
                    progress?.Report((double)(ts - from.ToUnixTimeMilliseconds()) / span);
                }
            }
        }
        Array.Fill(values, "");
        foreach (var (time, name, value) in _store.Raw(series, from, to))
        {
            var ts = time.ToUnixTimeMilliseconds();
            if (ts != current)
            {
                WriteRow();
                current = ts;
            }
            values[column[name]] = value.ToString("R", CultureInfo.InvariantCulture);
        }
        WriteRow();
        progress?.Report(1);
        return rows;
    }

    /// <summary>Gives unused space back (VACUUM); returns the size before and after, in bytes.</summary>
    public (long Before, long After) Vacuum() => _store.Compact();

    /// <inheritdoc />
    public void Dispose()
    {
        _writer.Dispose();
        _store.Dispose();
    }
}
