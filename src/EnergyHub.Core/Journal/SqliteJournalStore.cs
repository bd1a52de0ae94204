using Microsoft.Data.Sqlite;

namespace EnergyHub.Core.Journal;

/// <summary>
/// The journal in one SQLite file (WAL), created rw------- beside the site's data. The default store: nothing to
/// install, and a site's history stays on the machine that controls it.
/// </summary>
public sealed class SqliteJournalStore : IJournalStore
{
    private readonly string _path;

    /// <summary>Opens (and creates) the database at <paramref name="path"/>.</summary>
    public SqliteJournalStore(string path)
    {
        _path = path;
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
        foreach (var (table, width) in JournalRollups.Tables)
        {
            var created = Scalar(connection, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'") == 0;
            Execute(connection, $"CREATE TABLE IF NOT EXISTS {table} (series TEXT NOT NULL, ts INTEGER NOT NULL, min REAL, sum REAL, max REAL, count INTEGER, PRIMARY KEY (series, ts))");
            if (created)
            {
                // A journal from before the rollups gets them from what it holds, once.
                Execute(connection, $"""
                    INSERT INTO {table} (series, ts, min, sum, max, count)
                    SELECT series, bucket, MIN(lo), SUM(total), MAX(hi), SUM(n) FROM (
                      SELECT series, (ts / {width}) * {width} AS bucket, value AS lo, value AS total, value AS hi, 1 AS n FROM readings
                      UNION ALL
                      SELECT series, (ts / {width}) * {width}, min, avg * count, max, count FROM readings_minute)
                    GROUP BY series, bucket
                    """);
            }
        }
    }

    /// <summary>The database file.</summary>
    public string Path => _path;

    /// <inheritdoc />
    public string Location => _path;

    /// <inheritdoc />
    public Task WriteAsync(IReadOnlyList<JournalRecord> batch, CancellationToken cancellationToken)
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
        }
        var rolled = JournalRollups.Of(batch.OfType<ReadingRecord>());
        foreach (var (table, _) in JournalRollups.Tables)
        {
            using var upsert = Command(connection, $"""
                INSERT INTO {table} (series, ts, min, sum, max, count) VALUES ($s, $t, $lo, $sum, $hi, $n)
                ON CONFLICT (series, ts) DO UPDATE SET min = MIN(min, excluded.min), sum = sum + excluded.sum, max = MAX(max, excluded.max), count = count + excluded.count
                """, "$s", "$t", "$lo", "$sum", "$hi", "$n");
            foreach (var ((_, name, ts), a) in rolled.Where(r => r.Key.Table == table))
            {
                Run(upsert, name, ts, a.Min, a.Sum, a.Max, a.Count);
            }
        }
        transaction.Commit();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public (long Averaged, long Deleted) ApplyRetention(DateTimeOffset fullFrom, DateTimeOffset keepFrom)
    {
        var (full, keep) = (fullFrom.ToUnixTimeMilliseconds(), keepFrom.ToUnixTimeMilliseconds());
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        Execute(connection, $"""
            INSERT INTO readings_minute (series, ts, min, avg, max, count)
            SELECT series, (ts / 60000) * 60000 AS minute, MIN(value), AVG(value), MAX(value), COUNT(*) FROM readings WHERE ts < {full}
            GROUP BY series, minute
            ON CONFLICT (series, ts) DO UPDATE SET
              avg = (avg * count + excluded.avg * excluded.count) / (count + excluded.count),
              min = MIN(min, excluded.min), max = MAX(max, excluded.max), count = count + excluded.count;
            """);
        var averaged = Execute(connection, $"DELETE FROM readings WHERE ts < {full}");
        foreach (var (table, _) in JournalRollups.Tables)
        {
            Execute(connection, $"DELETE FROM {table} WHERE ts < {keep}");
        }
        var deleted = Execute(connection, $"DELETE FROM readings_minute WHERE ts < {keep}")
            + Execute(connection, $"DELETE FROM decisions WHERE ts < {keep}")
            + Execute(connection, $"DELETE FROM commands WHERE ts < {keep}")
            + Execute(connection, $"DELETE FROM health WHERE ts < {keep}");
        transaction.Commit();
        return (averaged, deleted);
    }

    /// <inheritdoc />
    public async Task<List<HistoryPoint>> HistoryAsync(string series, DateTimeOffset from, DateTimeOffset to, int points, CancellationToken cancellationToken)
    {
        var (f, t, width, rollup) = JournalRollups.Plan(from, to, points);
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = rollup is var (table, rollupWidth)
            ? $"""
              SELECT ($f + ((ts - $f) / $w) * $w) AS bucket, MIN(min), SUM(sum) / SUM(count), MAX(max), SUM(count) FROM {table}
                WHERE series = $s AND ts >= ($f / {rollupWidth}) * {rollupWidth} AND ts < $t
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
        // A rollup row that starts before `from` falls into the first bucket (the division truncates toward 0).
        return await JournalReaders.HistoryAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public List<(string Series, string Device, string Unit)> Series()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT series, device, unit FROM series ORDER BY series";
        using var reader = command.ExecuteReader();
        return JournalReaders.Series(reader);
    }

    /// <inheritdoc />
    public async Task<List<StoredDecision>> DecisionsAsync(long sinceId, int limit, string? service, DateTimeOffset? from, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, ts, service, decision, details FROM decisions WHERE id > $id AND ($service IS NULL OR service = $service) AND ts >= $from ORDER BY id LIMIT $n";
        command.Parameters.AddWithValue("$id", sinceId);
        command.Parameters.AddWithValue("$service", (object?)service ?? DBNull.Value);
        command.Parameters.AddWithValue("$from", from?.ToUnixTimeMilliseconds() ?? long.MinValue);
        command.Parameters.AddWithValue("$n", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await JournalReaders.DecisionsAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IEnumerable<(DateTimeOffset Time, string Series, double Value)> Raw(IReadOnlyList<string> series, DateTimeOffset from, DateTimeOffset to)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT ts, series, value FROM readings WHERE ts >= $f AND ts < $t AND series IN ({string.Join(",", series.Select((_, i) => $"$s{i}"))}) ORDER BY ts";
        command.Parameters.AddWithValue("$f", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$t", to.ToUnixTimeMilliseconds());
        for (var i = 0; i < series.Count; i++)
        {
            command.Parameters.AddWithValue($"$s{i}", series[i]);
        }
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1), reader.GetDouble(2));
        }
    }

    /// <inheritdoc />
    public (long Before, long After) Compact()
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
    public void Dispose() => SqliteConnection.ClearAllPools();
}
