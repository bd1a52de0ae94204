using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace EnergyHub.Core.Journal;

/// <summary>
/// The journal in a PostgreSQL database, for a fleet or a site that keeps its history on a server. The schema is
/// migrated on first use (<see cref="PostgresJournalSchema"/>). Readings are written with binary COPY and indexed by series
/// and time (B-tree) and by time alone (BRIN, small, for retention and export); rollups and events go in as one
/// multi-row statement each per batch. The password comes from the connection string or, better, from PGPASSWORD or
/// ~/.pgpass, which Npgsql reads itself.
/// </summary>
public sealed class PostgresJournalStore : IJournalStore
{
    private readonly NpgsqlDataSource _source;
    private readonly Dictionary<string, int> _seriesIds = new(StringComparer.Ordinal);
    private readonly ILogger? _logger;
    private volatile bool _migrated;

    /// <summary>
    /// A journal in the database of <paramref name="connectionString"/>. It connects (and migrates the schema) on first
    /// use, so a server that is away when the site starts delays the journal, never control.
    /// </summary>
    public PostgresJournalStore(string connectionString, ILogger? logger = null)
    {
        _logger = logger;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Location = $"postgres://{builder.Host}:{builder.Port}/{builder.Database}";
        _source = NpgsqlDataSource.Create(builder);
    }

    /// <summary>Connects now and brings the schema up to date (otherwise done on first use).</summary>
    public PostgresJournalStore Migrated()
    {
        using var connection = Connect();
        return this;
    }

    private NpgsqlConnection Connect()
    {
        var connection = _source.OpenConnection();
        if (!_migrated)
        {
            lock (_source)
            {
                try
                {
                    if (!_migrated)
                    {
                        var applied = PostgresJournalSchema.Migrate(connection);
                        _migrated = true;
                        if (applied > 0 && _logger is not null)
                        {
                            _logger.LogInformation("Journal: {Location} migrated to schema version {Version} ({Applied} step(s))", Location, PostgresJournalSchema.Migrations.Count, applied);
                        }
                    }
                }
                catch
                {
                    connection.Dispose();
                    throw;
                }
            }
        }
        return connection;
    }

    private async Task<NpgsqlConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (!_migrated)
        {
            return Connect();
        }
        return await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <inheritdoc />
    public async Task WriteAsync(IReadOnlyList<JournalRecord> batch, CancellationToken cancellationToken)
    {
        var readings = batch.OfType<ReadingRecord>().ToList();
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await KnowSeriesAsync(connection, readings, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (readings.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync("COPY readings (series_id, ts, value) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
            foreach (var r in readings)
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(_seriesIds[r.Series], NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(r.Time.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(r.Value, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            }
            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        var rolled = JournalRollups.Of(readings);
        foreach (var (table, _) in JournalRollups.Tables)
        {
            var rows = rolled.Where(r => r.Key.Table == table).ToList();
            if (rows.Count == 0)
            {
                continue;
            }
            await ExecuteAsync(connection, $"""
                INSERT INTO {table} (series_id, ts, min, sum, max, count)
                SELECT * FROM unnest(@s, @t, @lo, @sum, @hi, @n)
                ON CONFLICT (series_id, ts) DO UPDATE SET min = LEAST({table}.min, excluded.min), sum = {table}.sum + excluded.sum,
                  max = GREATEST({table}.max, excluded.max), count = {table}.count + excluded.count
                """, cancellationToken,
                ("s", rows.Select(r => _seriesIds[r.Key.Series]).ToArray()), ("t", rows.Select(r => r.Key.Ts).ToArray()),
                ("lo", rows.Select(r => r.Value.Min).ToArray()), ("sum", rows.Select(r => r.Value.Sum).ToArray()),
                ("hi", rows.Select(r => r.Value.Max).ToArray()), ("n", rows.Select(r => r.Value.Count).ToArray())).ConfigureAwait(false);
        }
        if (batch.OfType<DecisionRecord>().ToList() is { Count: > 0 } decisions)
        {
            await ExecuteAsync(connection, "INSERT INTO decisions (ts, service, decision, details) SELECT * FROM unnest(@t, @s, @d, @j)", cancellationToken,
                ("t", decisions.Select(d => d.Time.ToUnixTimeMilliseconds()).ToArray()), ("s", decisions.Select(d => d.Service).ToArray()),
                ("d", decisions.Select(d => d.Decision).ToArray()), ("j", decisions.Select(d => d.DetailsJson).ToArray())).ConfigureAwait(false);
        }
        if (batch.OfType<CommandRecord>().ToList() is { Count: > 0 } commands)
        {
            await ExecuteAsync(connection, "INSERT INTO commands (ts, device, command, value, source, reason, status, detail) SELECT * FROM unnest(@t, @d, @c, @v, @s, @r, @st, @de)", cancellationToken,
                ("t", commands.Select(c => c.Time.ToUnixTimeMilliseconds()).ToArray()), ("d", commands.Select(c => c.Device).ToArray()),
                ("c", commands.Select(c => c.Command).ToArray()), ("v", commands.Select(c => c.Value).ToArray()),
                ("s", commands.Select(c => c.Source).ToArray()), ("r", commands.Select(c => c.Reason).ToArray()),
                ("st", commands.Select(c => c.Status).ToArray()), ("de", commands.Select(c => c.Detail).ToArray())).ConfigureAwait(false);
        }
        if (batch.OfType<HealthRecord>().ToList() is { Count: > 0 } health)
        {
            await ExecuteAsync(connection, "INSERT INTO health (ts, device, health, error) SELECT * FROM unnest(@t, @d, @h, @e)", cancellationToken,
                ("t", health.Select(h => h.Time.ToUnixTimeMilliseconds()).ToArray()), ("d", health.Select(h => h.Device).ToArray()),
                ("h", health.Select(h => h.Health).ToArray()), ("e", health.Select(h => h.Error).ToArray())).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // Series get a small integer id once: a reading row is 20 bytes of data instead of a name per row.
    private async Task KnowSeriesAsync(NpgsqlConnection connection, List<ReadingRecord> readings, CancellationToken cancellationToken)
    {
        var unknown = readings.Where(r => !_seriesIds.ContainsKey(r.Series)).DistinctBy(r => r.Series).ToList();
        if (unknown.Count == 0)
        {
            return;
        }
        await ExecuteAsync(connection, "INSERT INTO series (series, device, unit) SELECT * FROM unnest(@n, @d, @u) ON CONFLICT (series) DO NOTHING", cancellationToken,
            ("n", unknown.Select(r => r.Series).ToArray()), ("d", unknown.Select(r => r.Device).ToArray()), ("u", unknown.Select(r => r.Unit).ToArray())).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT id, series FROM series WHERE series = ANY(@n)", connection);
        command.Parameters.AddWithValue("n", unknown.Select(r => r.Series).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            _seriesIds[reader.GetString(1)] = reader.GetInt32(0);
        }
    }

    /// <inheritdoc />
    public (long Averaged, long Deleted) ApplyRetention(DateTimeOffset fullFrom, DateTimeOffset keepFrom)
    {
        var (full, keep) = (fullFrom.ToUnixTimeMilliseconds(), keepFrom.ToUnixTimeMilliseconds());
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        Execute(connection, """
            INSERT INTO readings_minute (series_id, ts, min, avg, max, count)
            SELECT series_id, (ts / 60000) * 60000 AS minute, MIN(value), AVG(value), MAX(value), COUNT(*) FROM readings WHERE ts < @full
            GROUP BY series_id, minute
            ON CONFLICT (series_id, ts) DO UPDATE SET
              avg = (readings_minute.avg * readings_minute.count + excluded.avg * excluded.count) / (readings_minute.count + excluded.count),
              min = LEAST(readings_minute.min, excluded.min), max = GREATEST(readings_minute.max, excluded.max), count = readings_minute.count + excluded.count
            """, ("full", full));
        long averaged = Execute(connection, "DELETE FROM readings WHERE ts < @full", ("full", full));
        foreach (var (table, _) in JournalRollups.Tables)
        {
            Execute(connection, $"DELETE FROM {table} WHERE ts < @keep", ("keep", keep));
        }
        long deleted = 0;
        foreach (var table in new[] { "readings_minute", "decisions", "commands", "health" })
        {
            deleted += Execute(connection, $"DELETE FROM {table} WHERE ts < @keep", ("keep", keep));
        }
        transaction.Commit();
        return (averaged, deleted);
    }

    /// <inheritdoc />
    public async Task<List<HistoryPoint>> HistoryAsync(string series, DateTimeOffset from, DateTimeOffset to, int points, CancellationToken cancellationToken)
    {
        var (f, t, width, rollup) = JournalRollups.Plan(from, to, points);
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(rollup is var (table, rollupWidth)
            ? $"""
              SELECT (@f + ((ts - @f) / @w) * @w) AS bucket, MIN(min), SUM(sum) / SUM(count)::float8, MAX(max), SUM(count)::bigint FROM {table}
                WHERE series_id = (SELECT id FROM series WHERE series = @s) AND ts >= (@f / {rollupWidth}) * {rollupWidth} AND ts < @t
              GROUP BY bucket ORDER BY bucket
              """
            : """
              SELECT bucket, MIN(lo), SUM(total) / SUM(n)::float8, MAX(hi), SUM(n)::bigint FROM (
                SELECT (@f + ((ts - @f) / @w) * @w) AS bucket, value AS lo, value AS total, value AS hi, 1::bigint AS n FROM readings
                  WHERE series_id = (SELECT id FROM series WHERE series = @s) AND ts >= @f AND ts < @t
                UNION ALL
                SELECT (@f + ((ts - @f) / @w) * @w), min, avg * count, max, count FROM readings_minute
                  WHERE series_id = (SELECT id FROM series WHERE series = @s) AND ts >= @f AND ts < @t) AS buckets
              GROUP BY bucket ORDER BY bucket
              """, connection);
        command.Parameters.AddWithValue("s", series);
        command.Parameters.AddWithValue("f", f);
        command.Parameters.AddWithValue("t", t);
        command.Parameters.AddWithValue("w", width);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await JournalReaders.HistoryAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public List<(string Series, string Device, string Unit)> Series()
    {
        using var connection = Connect();
        using var command = new NpgsqlCommand("SELECT series, device, unit FROM series ORDER BY series COLLATE \"C\"", connection);
        using var reader = command.ExecuteReader();
        return JournalReaders.Series(reader);
    }

    /// <inheritdoc />
    public async Task<List<StoredDecision>> DecisionsAsync(long sinceId, int limit, string? service, DateTimeOffset? from, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT id, ts, service, decision, details FROM decisions WHERE id > @id AND (@service::text IS NULL OR service = @service) AND ts >= @from ORDER BY id LIMIT @n", connection);
        command.Parameters.AddWithValue("id", sinceId);
        command.Parameters.Add(new NpgsqlParameter("service", NpgsqlDbType.Text) { Value = (object?)service ?? DBNull.Value });
        command.Parameters.AddWithValue("from", from?.ToUnixTimeMilliseconds() ?? long.MinValue);
        command.Parameters.AddWithValue("n", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await JournalReaders.DecisionsAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IEnumerable<(DateTimeOffset Time, string Series, double Value)> Raw(IReadOnlyList<string> series, DateTimeOffset from, DateTimeOffset to)
    {
        using var connection = Connect();
        using var command = new NpgsqlCommand("""
            SELECT r.ts, s.series, r.value FROM readings r JOIN series s ON s.id = r.series_id
            WHERE s.series = ANY(@names) AND r.ts >= @f AND r.ts < @t ORDER BY r.ts
            """, connection);
        command.Parameters.AddWithValue("names", series.ToArray());
        command.Parameters.AddWithValue("f", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("t", to.ToUnixTimeMilliseconds());
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1), reader.GetDouble(2));
        }
    }

    /// <inheritdoc />
    public (long Before, long After) Compact()
    {
        using var connection = Connect();
        var before = Size(connection);
        Execute(connection, "VACUUM ANALYZE");
        return (before, Size(connection));
    }

    private static long Size(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return (long)command.ExecuteScalar()!;
    }

    private static int Execute(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command.ExecuteNonQuery();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, Array Values)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, values) in parameters)
        {
            command.Parameters.AddWithValue(name, values);
        }
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();
}
