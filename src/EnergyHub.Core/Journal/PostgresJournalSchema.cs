using Npgsql;

namespace EnergyHub.Core.Journal;

/// <summary>
/// The journal's PostgreSQL schema as numbered migrations, applied on open in one transaction under an advisory lock
/// (two processes starting at once migrate once). The version reached is kept in <c>energyhub_schema</c>; a database
/// from a newer EnergyHub is refused rather than written to.
/// </summary>
public static class PostgresJournalSchema
{
    /// <summary>The migrations, the first being version 1. Only ever append.</summary>
    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE series (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, series text NOT NULL UNIQUE, device text NOT NULL, unit text NOT NULL);
        CREATE TABLE readings (series_id integer NOT NULL, ts bigint NOT NULL, value double precision NOT NULL);
        CREATE INDEX readings_series_ts ON readings (series_id, ts);
        CREATE INDEX readings_ts_brin ON readings USING brin (ts);
        CREATE TABLE readings_minute (series_id integer NOT NULL, ts bigint NOT NULL, min double precision, avg double precision,
          max double precision, count bigint, PRIMARY KEY (series_id, ts));
        CREATE INDEX readings_minute_ts_brin ON readings_minute USING brin (ts);
        CREATE TABLE readings_hour (series_id integer NOT NULL, ts bigint NOT NULL, min double precision, sum double precision,
          max double precision, count bigint, PRIMARY KEY (series_id, ts));
        CREATE TABLE readings_day (series_id integer NOT NULL, ts bigint NOT NULL, min double precision, sum double precision,
          max double precision, count bigint, PRIMARY KEY (series_id, ts));
        CREATE TABLE decisions (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ts bigint NOT NULL, service text NOT NULL, decision text NOT NULL, details text NOT NULL);
        CREATE TABLE commands (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ts bigint NOT NULL, device text NOT NULL, command text NOT NULL,
          value double precision NOT NULL, source text NOT NULL, reason text NOT NULL, status text NOT NULL, detail text);
        CREATE TABLE health (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ts bigint NOT NULL, device text NOT NULL, health text NOT NULL, error text);
        CREATE INDEX decisions_ts ON decisions (ts);
        CREATE INDEX commands_ts ON commands (ts);
        CREATE INDEX health_ts ON health (ts);
        """,
    ];

    /// <summary>Brings the database behind <paramref name="connection"/> to the newest version; returns the versions applied.</summary>
    /// <exception cref="JournalSchemaException">The database is from a newer EnergyHub.</exception>
    public static int Migrate(NpgsqlConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        Run(connection, "SELECT pg_advisory_xact_lock(7236110)"); // any constant: EnergyHub's journal migration
        Run(connection, "CREATE TABLE IF NOT EXISTS energyhub_schema (version integer NOT NULL)");
        using var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM energyhub_schema", connection);
        var version = (int)read.ExecuteScalar()!;
        if (version > Migrations.Count)
        {
            throw new JournalSchemaException(
                $"the journal database is at schema version {version}, newer than this EnergyHub knows ({Migrations.Count}): update EnergyHub, or point [Journal] ConnectionString at another database");
        }
        for (var next = version + 1; next <= Migrations.Count; next++)
        {
            Run(connection, Migrations[next - 1]);
            Run(connection, $"INSERT INTO energyhub_schema (version) VALUES ({next})");
        }
        transaction.Commit();
        return Migrations.Count - version;
    }

    private static void Run(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

/// <summary>The journal's database has a schema this EnergyHub cannot write (a database error: the journal waits, control goes on).</summary>
public sealed class JournalSchemaException(string message) : System.Data.Common.DbException(message);
