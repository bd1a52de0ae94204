using Npgsql;

namespace EnergyHub.Benchmarks;

/// <summary>The PostgreSQL server of a benchmark: <c>$ENERGYHUB_BENCH_POSTGRES</c> (tests/postgres-cluster.sh start DIR prints one).</summary>
internal static class BenchPostgres
{
    public const string Variable = "ENERGYHUB_BENCH_POSTGRES";

    /// <summary>The server's connection string, or null when the variable is not set.</summary>
    public static string? Server => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } server ? server : null;

    /// <summary>Creates an empty database named <paramref name="prefix"/> plus a unique part on <paramref name="server"/>; returns its connection string.</summary>
    public static string NewDatabase(string server, string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }
}
