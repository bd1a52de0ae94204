namespace EnergyHub.Tests;

/// <summary>
/// The SurplusDistributor's acceptance on a whole simulated day (real 1-minute PV and load profiles): against the same
/// site without it, and with its hysteresis against none (es-ESS's behaviour), compared, not hard-coded.
/// </summary>
public sealed class SurplusReplayTests
{
    private static readonly string Examples = Path.Combine(EnergyHubCli.RepoRoot, "config", "examples");

    [Test]
    public async Task Surplus_goes_to_the_consumers_instead_of_the_grid_and_the_hysteresis_switches_less_than_none()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-surplus-replay-").FullName;
        var ours = await File.ReadAllTextAsync(Path.Combine(Examples, "surplus-sim.ini"));
        var configs = new Dictionary<string, string>
        {
            ["off"] = ours.Replace("SurplusDistributor = true", "SurplusDistributor = false", StringComparison.Ordinal),
            ["no hysteresis"] = await File.ReadAllTextAsync(Path.Combine(Examples, "surplus-sim-no-hysteresis.ini")),
            ["ours"] = ours,
        };
        var files = new List<string>();
        foreach (var (name, text) in configs)
        {
            var file = Path.Combine(dir, name.Replace(' ', '-') + ".ini");
            await File.WriteAllTextAsync(file, text.Replace("DataDir = ../../data/", $"DataDir = {dir}/data/", StringComparison.Ordinal));
            files.Add(file);
        }

        var results = (await Replays.Run(files)).Results;
        var (off, none, hysteresis) = (results[0], results[1], results[2]);
        foreach (var (name, result) in configs.Keys.Zip(results))
        {
            TestContext.Out.WriteLine($"{name}: export {result.Kpis.GridExportKwh:0.00} kWh, self-consumption {result.Kpis.SelfConsumptionPct:0.0} %, " + string.Join(", ",
                result.Kpis.Consumers.Select(c => $"{c.Device} {c.FromPvKwh:0.00} kWh from PV, {c.SwitchCycles} switch-ons, {c.AllowanceChanges} allowance changes")));
        }

        Assert.Multiple(() =>
        {
            Assert.That(off.Kpis.GridExportKwh, Is.GreaterThan(5), "the day must have a surplus to share");
            Assert.That(hysteresis.Kpis.GridExportKwh, Is.LessThan(off.Kpis.GridExportKwh / 3), "most of the export goes to the consumers");
            foreach (var device in new[] { "ev", "heater" })
            {
                Assert.That(off.Consumer(device).FromPvKwh, Is.Zero, $"{device} runs only on an allowance");
                Assert.That(hysteresis.Consumer(device).FromPvKwh, Is.GreaterThan(1), $"{device} gets surplus");
                Assert.That(hysteresis.Consumer(device).SwitchCycles, Is.LessThan(none.Consumer(device).SwitchCycles),
                    $"{device} is switched on less often with the hysteresis");
                Assert.That(hysteresis.Consumer(device).AllowanceChanges, Is.LessThan(none.Consumer(device).AllowanceChanges),
                    $"{device}'s allowance changes less often with the hysteresis");
            }
        });
    }
}
