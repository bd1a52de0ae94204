namespace EnergyHub.Tests;

/// <summary>
/// What EnergyHub writes about a home is its owner's: after a real run of the demo, started with a permissive umask,
/// nothing in the DataDir is open to other users (the logs may be read by the group, by design), and no folder either.
/// </summary>
public sealed class PrivateDataDirTests
{
    private const UnixFileMode Others = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
    private const UnixFileMode Group = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;

    [Test]
    public async Task Every_file_and_folder_a_run_creates_is_private_whatever_umask_started_it()
    {
        var parent = Directory.CreateTempSubdirectory("energyhub-private-run-").FullName;
        var data = Path.Combine(parent, "data"); // created by EnergyHub itself
        using var cli = EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: new Dictionary<string, string>
        {
            ["ENERGYHUB_Common__DataDir"] = data,
            ["ENERGYHUB_Web__Port"] = "0",
        });
        await cli.WaitForOutput("Ctrl-C stops", TimeSpan.FromSeconds(60));
        await cli.WaitForOutput("ExportGuard", TimeSpan.FromSeconds(30)); // the services have ticked, so the journal has been written
        cli.Interrupt();
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);

        var entries = Directory.GetFileSystemEntries(data, "*", SearchOption.AllDirectories).Append(data).ToList();
        Assert.That(entries.Select(Path.GetFileName), Does.Contain("journal.db"), "the run wrote its journal");
        var open = entries
            .Where(e => (File.GetUnixFileMode(e) & Others) != 0 || (!e.EndsWith(".log", StringComparison.Ordinal) && (File.GetUnixFileMode(e) & Group) != 0))
            .Select(e => $"{Path.GetRelativePath(parent, e)} {File.GetUnixFileMode(e)}")
            .ToList();
        Assert.That(open, Is.Empty, "open to others (or, beyond the logs, to the group)");
    }
}
