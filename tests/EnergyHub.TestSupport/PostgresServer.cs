using Npgsql;
using NUnit.Framework;

namespace EnergyHub.TestSupport;

/// <summary>
/// The PostgreSQL server of a test run: a throwaway cluster that test.sh starts (initdb into a temp folder, a free port on
/// 127.0.0.1) and names in <see cref="Variable"/>. Each caller gets a database of its own.
/// </summary>
public static class PostgresServer
{
    /// <summary>The environment variable with the connection string of the test server (a superuser, trust auth).</summary>
    public const string Variable = "ENERGYHUB_TEST_POSTGRES";

    /// <summary>Creates an empty database on the test server; returns its connection string.</summary>
    public static string NewDatabase()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(server))
        {
            Assert.Fail($"The PostgreSQL tests need a server: run ./test.sh (it starts a throwaway cluster), or set {Variable} to a connection string of a user who may create databases.");
        }
        var name = "energyhub_" + Guid.NewGuid().ToString("N")[..12];
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }

    /// <summary>Runs <paramref name="sql"/> on the database of <paramref name="connectionString"/>; returns the first column of the first row.</summary>
    public static object? Scalar(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }
}
