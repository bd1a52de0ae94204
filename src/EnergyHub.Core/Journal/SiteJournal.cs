using EnergyHub.Readings;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using EnergyHub.Core.Commands;
using EnergyHub.Core.Config;
using EnergyHub.Core.Devices;
using EnergyHub.Core.Events;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Journal;

/// <summary>
/// The SQLite journal (WAL): readings, decisions, commands and health changes. Records are queued by the control path
/// and written in one transaction per flush by <see cref="FlushAsync"/>, so a slow disk never delays a tick and a
/// kill -9 loses at most the batch being written. A batch that fails (disk full, database locked) is kept and written
/// before anything newer, and everything waiting, that batch included, stays within the capacity: raw readings are
/// dropped first (oldest first), decisions, commands and health changes only when they alone fill it; every drop is
/// counted.
/// </summary>
public sealed class SiteJournal : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _path;
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

    /// <summary>Opens (and creates) the database at <paramref name="path"/>.</summary>
    public SiteJournal(string path, JournalOptions options, ILogger logger)
    {
        (_path, _options, _logger) = (path, options, logger);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        CreatePrivately(path);
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS readings (series TEXT NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL);
            CREATE INDEX IF NOT EXISTS readings_series_ts ON readings (series, ts);
            CREATE TABLE IF NOT EXISTS readings_minute (series TEXT NOT NULL, ts INTEGER NOT NULL, min REAL, avg REAL, max REAL, count INTEGER,
                PRIMARY KEY (series, ts));
            CREATE TABLE IF NOT EXISTS series (series TEXT PRIMARY KEY, device TEXT NOT NULL, unit TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS decisions (id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, service TEXT NOT NULL, decision TEXT NOT NULL, details TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS commands (id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, device TEXT NOT NULL, command TEXT NOT NULL,
                value REAL NOT NULL, source TEXT NOT NULL, reason TEXT NOT NULL, status TEXT NOT NULL, detail TEXT);
            CREATE TABLE IF NOT EXISTS health (id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, device TEXT NOT NULL, health TEXT NOT NULL, error TEXT);
            CREATE INDEX IF NOT EXISTS decisions_ts ON decisions (ts);
            CREATE INDEX IF NOT EXISTS commands_ts ON commands (ts);
            CREATE INDEX IF NOT EXISTS health_ts ON health (ts);
            """);
        foreach (var (table, _) in Rollups)
        {
            var created = Scalar(connection, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'") == 0;
            Execute(connection, $"CREATE TABLE IF NOT EXISTS {table} (series TEXT NOT NULL, ts INTEGER NOT NULL, min REAL, sum REAL, max REAL, count INTEGER, PRIMARY KEY (series, ts))");
            if (created)
            {
                Backfill(connection, table);
            }
        }
    }

    // Hourly and daily rollups (min, sum, max, count per series), kept as readings are written, so a long history
    // query reads a few thousand rows instead of every minute.
    private static readonly (string Table, long WidthMs)[] Rollups = [("readings_hour", 3_600_000), ("readings_day", 86_400_000)];

    // A journal from before the rollups gets them from what it holds, once.
    private static void Backfill(SqliteConnection connection, string table)
    {
        var width = Rollups.First(r => r.Table == table).WidthMs;
        Execute(connection, $"""
            INSERT INTO {table} (series, ts, min, sum, max, count)
            SELECT series, bucket, MIN(lo), SUM(total), MAX(hi), SUM(n) FROM (
              SELECT series, (ts / {width}) * {width} AS bucket, value AS lo, value AS total, value AS hi, 1 AS n FROM readings
              UNION ALL
              SELECT series, (ts / {width}) * {width}, min, avg * count, max, count FROM readings_minute)
            GROUP BY series, bucket
            """);
    }

    /// <summary>Records waiting to be written, a failed batch kept for the next flush included.</summary>
    public int QueueDepth => _readings.Count + _events.Count + Volatile.Read(ref _retryCount);

    /// <summary>Records dropped because the queue was full (raw readings first) or lost at shutdown.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>True while the last flush failed.</summary>
    public bool Failing { get; private set; }

    /// <summary>Records written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>The database file.</summary>
    public string Path => _path;

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
        site.HealthChanged += (device, _, after, error) => Add(new HealthRecord(DateTimeOffset.UtcNow, device, after.ToString(), error));
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
        decisions.Recorded += d => Add(new DecisionRecord(d.Time, d.Service, d.Decision, JsonSerializer.Serialize(d.Details, Json)));
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
            var count = 0;
            try
            {
                using var connection = Open();
                using var transaction = connection.BeginTransaction();
                using var reading = Command(connection, "INSERT INTO readings (series, ts, value) VALUES ($s, $t, $v)", "$s", "$t", "$v");
                using var series = Command(connection, "INSERT OR IGNORE INTO series (series, device, unit) VALUES ($s, $d, $u)", "$s", "$d", "$u");
                using var decision = Command(connection, "INSERT INTO decisions (ts, service, decision, details) VALUES ($1, $2, $3, $4)", "$1", "$2", "$3", "$4");
                using var commandRow = Command(connection, "INSERT INTO commands (ts, device, command, value, source, reason, status, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    "$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8");
                using var health = Command(connection, "INSERT INTO health (ts, device, health, error) VALUES ($1, $2, $3, $4)", "$1", "$2", "$3", "$4");
                var known = new HashSet<string>();
                var rolled = new Dictionary<(string Table, string Series, long Ts), (double Min, double Sum, double Max, long Count)>();
                foreach (var record in batch)
                {
                    switch (record)
                    {
                        case ReadingRecord r:
                            if (known.Add(r.Series))
                            {
                                Run(series, r.Series, r.Device, r.Unit);
                            }
                            Run(reading, r.Series, r.Time.ToUnixTimeMilliseconds(), r.Value);
                            Roll(rolled, r);
                            break;
                        case DecisionRecord d:
                            Run(decision, d.Time.ToUnixTimeMilliseconds(), d.Service, d.Decision, d.DetailsJson);
                            break;
                        case CommandRecord c:
                            Run(commandRow, c.Time.ToUnixTimeMilliseconds(), c.Device, c.Command, c.Value, c.Source, c.Reason, c.Status, c.Detail);
                            break;
                        case HealthRecord h:
                            Run(health, h.Time.ToUnixTimeMilliseconds(), h.Device, h.Health, h.Error);
                            break;
                    }
                    count++;
                }
                WriteRollups(connection, rolled);
                transaction.Commit();
            }
            catch
            {
                Failing = true;
                _retry = Bounded(batch);
                Volatile.Write(ref _retryCount, _retry.Count);
                throw;
            }
            Failing = false;
            Interlocked.Add(ref _written, count);
            return count;
        }
        finally
        {
            _writer.Release();
        }
    }

    private static void Roll(Dictionary<(string Table, string Series, long Ts), (double Min, double Sum, double Max, long Count)> rolled, ReadingRecord r)
    {
        var ms = r.Time.ToUnixTimeMilliseconds();
        foreach (var (table, width) in Rollups)
        {
            var key = (table, r.Series, ms / width * width);
            rolled[key] = rolled.TryGetValue(key, out var a)
                ? (Math.Min(a.Min, r.Value), a.Sum + r.Value, Math.Max(a.Max, r.Value), a.Count + 1)
                : (r.Value, r.Value, r.Value, 1);
        }
    }

    private static void WriteRollups(SqliteConnection connection, Dictionary<(string Table, string Series, long Ts), (double Min, double Sum, double Max, long Count)> rolled)
    {
        foreach (var (table, _) in Rollups)
        {
            using var upsert = Command(connection, $"""
                INSERT INTO {table} (series, ts, min, sum, max, count) VALUES ($s, $t, $lo, $sum, $hi, $n)
                ON CONFLICT (series, ts) DO UPDATE SET min = MIN(min, excluded.min), sum = sum + excluded.sum, max = MAX(max, excluded.max), count = count + excluded.count
                """, "$s", "$t", "$lo", "$sum", "$hi", "$n");
            foreach (var ((_, series, ts), a) in rolled.Where(r => r.Key.Table == table))
            {
                Run(upsert, series, ts, a.Min, a.Sum, a.Max, a.Count);
            }
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

    /// <summary>Counts what is still waiting as lost (the process is ending and the journal cannot take it); returns how many.</summary>
    public int AbandonQueued()
    {
        var lost = QueueDepth;
        _readings.Clear();
        _events.Clear();
        _retry = [];
        Volatile.Write(ref _retryCount, 0);
        Interlocked.Add(ref _dropped, lost);
        return lost;
    }

    /// <summary>
    /// Downsamples readings older than <see cref="JournalOptions.FullResolution"/> into minute averages and deletes
    /// everything older than <see cref="JournalOptions.Retention"/>. Returns (rows averaged, rows deleted).
    /// </summary>
    public (long Averaged, long Deleted) ApplyRetention(DateTimeOffset now)
    {
        var fullFrom = (now - _options.FullResolution).ToUnixTimeMilliseconds();
        var keepFrom = (now - _options.Retention).ToUnixTimeMilliseconds();
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        Execute(connection, $"""
            INSERT INTO readings_minute (series, ts, min, avg, max, count)
            SELECT series, (ts / 60000) * 60000 AS minute, MIN(value), AVG(value), MAX(value), COUNT(*) FROM readings WHERE ts < {fullFrom}
            GROUP BY series, minute
            ON CONFLICT (series, ts) DO UPDATE SET
              avg = (avg * count + excluded.avg * excluded.count) / (count + excluded.count),
              min = MIN(min, excluded.min), max = MAX(max, excluded.max), count = count + excluded.count;
            """);
        var averaged = Execute(connection, $"DELETE FROM readings WHERE ts < {fullFrom}");
        foreach (var (table, _) in Rollups)
        {
            Execute(connection, $"DELETE FROM {table} WHERE ts < {keepFrom}");
        }
        var deleted = Execute(connection, $"DELETE FROM readings_minute WHERE ts < {keepFrom}")
            + Execute(connection, $"DELETE FROM decisions WHERE ts < {keepFrom}")
            + Execute(connection, $"DELETE FROM commands WHERE ts < {keepFrom}")
            + Execute(connection, $"DELETE FROM health WHERE ts < {keepFrom}");
        transaction.Commit();
        return (averaged, deleted);
    }

    /// <summary>
    /// At most <paramref name="points"/> buckets of <paramref name="series"/> between the two instants, each with the
    /// min, average and max inside it (spikes kept). Buckets of a day or more are read from the daily rollup, of an
    /// hour or more from the hourly one (rollup rows fall into the bucket their start is in), shorter ones from the raw
    /// values and minute averages.
    /// </summary>
    public async Task<List<HistoryPoint>> HistoryAsync(string series, DateTimeOffset from, DateTimeOffset to, int points, CancellationToken cancellationToken = default)
    {
        var (f, t) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        var width = Math.Max(1, (t - f + points - 1) / points);
        var rollup = Rollups.Where(r => r.WidthMs <= width).Select(r => r.Table).LastOrDefault();
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = rollup is not null
            ? $"""
              SELECT ($f + ((ts - $f) / $w) * $w) AS bucket, MIN(min), SUM(sum) / SUM(count), MAX(max), SUM(count) FROM {rollup}
                WHERE series = $s AND ts >= ($f / {Rollups.First(r => r.Table == rollup).WidthMs}) * {Rollups.First(r => r.Table == rollup).WidthMs} AND ts < $t
              GROUP BY bucket ORDER BY bucket
              """
            : """
              SELECT bucket, MIN(lo), SUM(total) / SUM(n), MAX(hi), SUM(n) FROM (
                SELECT ($f + ((ts - $f) / $w) * $w) AS bucket, value AS lo, value AS total, value AS hi, 1 AS n FROM readings
                  WHERE series = $s AND ts >= $f AND ts < $t
                UNION ALL
                SELECT ($f + ((ts - $f) / $w) * $w), min, avg * count, max, count FROM readings_minute
                  WHERE series = $s AND ts >= $f AND ts < $t)
              GROUP BY bucket ORDER BY bucket
              """;
        command.Parameters.AddWithValue("$s", series);
        command.Parameters.AddWithValue("$f", f);
        command.Parameters.AddWithValue("$t", t);
        command.Parameters.AddWithValue("$w", width);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<HistoryPoint>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // A rollup row that starts before `from` falls into the first bucket (SQLite's division truncates toward 0).
            result.Add(new HistoryPoint(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetInt64(4)));
        }
        return result;
    }

    /// <summary>Every series the journal holds, with device and unit.</summary>
    public List<(string Series, string Device, string Unit)> Series()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT series, device, unit FROM series ORDER BY series";
        using var reader = command.ExecuteReader();
        var result = new List<(string, string, string)>();
        while (reader.Read())
        {
            result.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        return result;
    }

    /// <summary>
    /// Decisions with an id above <paramref name="sinceId"/>, oldest first, at most <paramref name="limit"/>; only of
    /// <paramref name="service"/> and from <paramref name="from"/> on when given.
    /// </summary>
    public async Task<List<StoredDecision>> DecisionsAsync(long sinceId, int limit, string? service = null, DateTimeOffset? from = null,
        CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, ts, service, decision, details FROM decisions WHERE id > $id AND ($service IS NULL OR service = $service) AND ts >= $from ORDER BY id LIMIT $n";
        command.Parameters.AddWithValue("$id", sinceId);
        command.Parameters.AddWithValue("$service", (object?)service ?? DBNull.Value);
        command.Parameters.AddWithValue("$from", from?.ToUnixTimeMilliseconds() ?? long.MinValue);
        command.Parameters.AddWithValue("$n", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<StoredDecision>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new StoredDecision(reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }
        return result;
    }

    /// <summary>Writes the raw values of <paramref name="series"/> between the instants as CSV (time, then one column per series).</summary>
    public long ExportCsv(IReadOnlyList<string> series, DateTimeOffset from, DateTimeOffset to, TextWriter output, IProgress<double>? progress = null)
    {
        output.WriteLine("time_utc," + string.Join(",", series));
        using var connection = Open();
        using var command = connection.CreateCommand();
        var names = string.Join(",", series.Select((_, i) => $"$s{i}"));
        command.CommandText = $"SELECT ts, series, value FROM readings WHERE ts >= $f AND ts < $t AND series IN ({names}) ORDER BY ts";
        command.Parameters.AddWithValue("$f", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$t", to.ToUnixTimeMilliseconds());
        for (var i = 0; i < series.Count; i++)
        {
            command.Parameters.AddWithValue($"$s{i}", series[i]);
        }
        using var reader = command.ExecuteReader();
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
        while (reader.Read())
        {
            var ts = reader.GetInt64(0);
            if (ts != current)
            {
                WriteRow();
                current = ts;
            }
            values[series.ToList().IndexOf(reader.GetString(1))] = reader.GetDouble(2).ToString("R", CultureInfo.InvariantCulture);
        }
        WriteRow();
        progress?.Report(1);
        return rows;
    }

    /// <summary>Compacts the database file; returns its size before and after, in bytes.</summary>
    public (long Before, long After) Vacuum()
    {
        var before = new FileInfo(_path).Length;
        using (var connection = Open())
        {
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;");
        }
        return (before, new FileInfo(_path).Length);
    }

    /// <summary>rw------- for a new journal; SQLite gives its -wal and -shm files the same mode. An existing one loses any world access.</summary>
    private static void CreatePrivately(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        if (!File.Exists(path))
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            return;
        }
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode world = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if ((mode & world) != 0)
        {
            File.SetUnixFileMode(path, mode & ~world);
        }
    }

    private SqliteConnection Open()
    {
        // A database locked by another program fails a flush after 5 s (its records stay queued) instead of blocking it for
        // the driver's default 30 s.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = true, DefaultTimeout = 5 }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
        return connection;
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
