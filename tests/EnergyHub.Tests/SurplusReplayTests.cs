using System.Text.Json;

namespace EnergyHub.Tests;

/// <summary>
/// The SurplusDistributor's acceptance on a whole simulated day (real 1-minute PV and load profiles): against the same
/// site without it, and with its hysteresis against none (es-ESS's behaviour), compared, not hard-coded.
/// </summary>
public sealed class SurplusReplayTests
{
    private static readonly string Examples = Path.Combine(Cli.RepoRoot, "config", "examples");

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

        var (code, output, errors) = await Cli.Run(["simulate", "--compare", .. files, "--json"]);

        Assert.That(code, Is.Zero, errors);
        var results = JsonDocument.Parse(output).RootElement.EnumerateArray().Select(r => r.GetProperty("Kpis")).ToArray();
        var (off, none, hysteresis) = (results[0], results[1], results[2]);
        double Kpi(JsonElement kpis, string name) => kpis.GetProperty(name).GetDouble();
        JsonElement Consumer(JsonElement kpis, string device) => kpis.GetProperty("Consumers").EnumerateArray().Single(c => c.GetProperty("Device").GetString() == device);
        foreach (var (name, kpis) in configs.Keys.Zip(results))
        {
            TestContext.Out.WriteLine($"{name}: export {Kpi(kpis, "GridExportKwh"):0.00} kWh, self-consumption {Kpi(kpis, "SelfConsumptionPct"):0.0} %, " + string.Join(", ",
                kpis.GetProperty("Consumers").EnumerateArray().Select(c => $"{c.GetProperty("Device")} {c.GetProperty("FromPvKwh").GetDouble():0.00} kWh from PV, " +
                    $"{c.GetProperty("SwitchCycles").GetInt32()} switch-ons, {c.GetProperty("AllowanceChanges").GetInt32()} allowance changes")));
        }

        Assert.Multiple(() =>
        {
            Assert.That(Kpi(off, "GridExportKwh"), Is.GreaterThan(5), "the day must have a surplus to share");
            Assert.That(Kpi(hysteresis, "GridExportKwh"), Is.LessThan(Kpi(off, "GridExportKwh") / 3), "most of the export goes to the consumers");
            foreach (var device in new[] { "ev", "heater" })
            {
                Assert.That(Consumer(off, device).GetProperty("FromPvKwh").GetDouble(), Is.Zero, $"{device} runs only on an allowance");
                Assert.That(Consumer(hysteresis, device).GetProperty("FromPvKwh").GetDouble(), Is.GreaterThan(1), $"{device} gets surplus");
                Assert.That(Consumer(hysteresis, device).GetProperty("SwitchCycles").GetInt32(), Is.LessThan(Consumer(none, device).GetProperty("SwitchCycles").GetInt32()),
                    $"{device} is switched on less often with the hysteresis");
                Assert.That(Consumer(hysteresis, device).GetProperty("AllowanceChanges").GetInt32(), Is.LessThan(Consumer(none, device).GetProperty("AllowanceChanges").GetInt32()),
                    $"{device}'s allowance changes less often with the hysteresis");
            }
        });
    }
}
