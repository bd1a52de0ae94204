using Microsoft.Data.Sqlite;

namespace EnergyHub.Core.Journal;

/// <summary>
/// <see cref="EnergyHub.Services.IServiceStateStore"/> in the journal's database: a table <c>service_state</c> (service,
/// key, json, ts) beside the journal's own, on its own connection (the database is in WAL mode, so the journal's
/// flushes and these writes do not block each other for long).
/// </summary>
/// <param name="path">The journal's database file.</param>
/// <param name="time">The clock, for the time each value was kept.</param>
public sealed class JournalStateStore(string path, TimeProvider time) : EnergyHub.Services.IServiceStateStore
{
    private readonly Lock _gate = new();
    private bool _created;

    /// <inheritdoc />
    public string? Load(string service, string key) => Guarded(() =>
    {
        lock (_gate)
        {
            using var connection = Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT json FROM service_state WHERE service = $service AND key = $key";
            command.Parameters.AddWithValue("$service", service);
            command.Parameters.AddWithValue("$key", key);
            return command.ExecuteScalar() as string;
        }
    });

    /// <inheritdoc />
    public void Save(string service, string key, string json) => Guarded(() =>
    {
        lock (_gate)
        {
            using var connection = Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO service_state (service, key, json, ts) VALUES ($service, $key, $json, $ts)
                ON CONFLICT (service, key) DO UPDATE SET json = excluded.json, ts = excluded.ts
                """;
            command.Parameters.AddWithValue("$service", service);
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$json", json);
            command.Parameters.AddWithValue("$ts", time.GetUtcNow().ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
            return true;
        }
    });

    private T Guarded<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (SqliteException ex)
        {
            throw new IOException($"the journal {path} could not keep service state: {ex.Message}", ex);
        }
    }

    private SqliteConnection Open()
    {
        if (!_created)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 5 }.ToString());
        connection.Open();
        if (!_created)
        {
            using var create = connection.CreateCommand();
            create.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS service_state (service TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL, ts INTEGER NOT NULL, PRIMARY KEY (service, key));";
            create.ExecuteNonQuery();
            _created = true;
        }
        return connection;
    }
}
