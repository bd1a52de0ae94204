using EnergyHub.TestSupport;
using Microsoft.Data.Sqlite;

namespace EnergyHub.Tests;

public sealed class JournalCrashTests
{
    [Test]
    public async Task A_kill_9_mid_write_leaves_a_sound_journal_that_export_can_read()
    {
        var data = Directory.CreateTempSubdirectory("energyhub-crash-").FullName;
        var journal = Path.Combine(data, "journal.db");
        using (var cli = EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: new Dictionary<string, string>
        {
            ["ENERGYHUB_Common__DataDir"] = data,
            ["ENERGYHUB_Logging__Dir"] = "",
            ["ENERGYHUB_Web__Port"] = "0",
            ["ENERGYHUB_Journal__FlushInterval"] = "50ms",
            ["ENERGYHUB_Common__Speed"] = "600",
        }))
        {
            await cli.WaitForOutput("Started 5 service(s)", TimeSpan.FromSeconds(30));
            await Eventually.Until(() => Readings(journal) > 2000, "the journal holds more than 2000 readings (half an hour of the demo)", TimeSpan.FromSeconds(30));
            SqliteConnection.ClearAllPools();
            System.Diagnostics.Process.Start("kill", ["-KILL", cli.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await cli.WaitForExit(TimeSpan.FromSeconds(10));
        }

        using (var connection = new SqliteConnection($"Data Source={journal}"))
        {
            connection.Open();
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.That(check.ExecuteScalar(), Is.EqualTo("ok"));
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM readings";
            Assert.That((long)count.ExecuteScalar()!, Is.GreaterThan(100), "batches written before the kill are kept");
        }
        SqliteConnection.ClearAllPools();

        var csv = Path.Combine(data, "export.csv");
        using var export = EnergyHubCli.Start(["db", "export", "--config", "config/demo.ini", "--from", "2025-11-11T00:00:00Z", "--to", "2025-11-13T00:00:00Z",
            "--series", "grid/Meter.PowerW,battery/Battery.SocPct", "--out", csv], environment: new Dictionary<string, string> { ["ENERGYHUB_Common__DataDir"] = data });
        Assert.That(await export.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, export.Err);
        var lines = await File.ReadAllLinesAsync(csv);
        Assert.That(lines[0], Is.EqualTo("time_utc,grid/Meter.PowerW,battery/Battery.SocPct"));
        Assert.That(lines, Has.Length.GreaterThan(10));
    }

    // Readings committed so far, read beside the writer; 0 while the journal is not there yet.
    private static long Readings(string journal)
    {
        try
        {
            using var connection = new SqliteConnection($"Data Source={journal};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM readings";
            return (long)count.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0;
        }
    }
}
