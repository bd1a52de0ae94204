using System.Text.Json;

namespace EnergyHub.Tests;

public sealed class SimulateCommandTests
{
    private static string Demo => Path.Combine(EnergyHubCli.RepoRoot, "config", "demo.ini");

    // The demo's site with nothing switched on but the reading logger: the day as it is, without EnergyHub acting.
    private static async Task<string> PassiveDemo()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-passive-").FullName;
        var text = (await File.ReadAllTextAsync(Demo)).Replace("DataDir = ../data/demo", $"DataDir = {dir}/data", StringComparison.Ordinal);
        foreach (var service in new[] { "EvCharging", "SurplusDistributor", "BatteryScheduler", "ExportGuard" })
        {
            text = text.Replace($"{service} = true", $"{service} = false", StringComparison.Ordinal);
        }
        var path = Path.Combine(dir, "passive.ini");
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    private static JsonElement Kpis(string json) => JsonDocument.Parse(json).RootElement[0].GetProperty("Kpis");

    [Test]
    public async Task A_day_replays_to_identical_kpis_with_energy_that_adds_up()
    {
        var passive = await PassiveDemo();
        var first = await EnergyHubCli.Run("simulate", "--config", passive, "--json");
        var second = await EnergyHubCli.Run("simulate", "--config", passive, "--json");

        Assert.That(first.Code, Is.Zero, first.Err);
        Assert.That(Kpis(first.Out).ToString(), Is.EqualTo(Kpis(second.Out).ToString()), "same config, data and seed: same KPIs");
        var kpis = Kpis(first.Out);
        Assert.That(kpis.GetProperty("PvProducedKwh").GetDouble(), Is.EqualTo(36.3).Within(0.5));
        Assert.That(kpis.GetProperty("ExportBelowThresholdKwh").GetDouble(), Is.GreaterThan(1), "the shipped day has negative feed-in at midday");
        Assert.That(kpis.GetProperty("Currency").GetString(), Is.EqualTo("AUD"));
        var result = JsonDocument.Parse(first.Out).RootElement[0];
        Assert.That(result.GetProperty("oracleNetCost").GetDouble(), Is.LessThanOrEqualTo(result.GetProperty("netCost").GetDouble() + 1e-9),
            "no policy beats the oracle");
        Assert.That(first.Err, Does.Contain("100 %"), "progress is shown");
    }

    [Test]
    public async Task Curtailment_that_nothing_could_take_is_a_part_of_what_was_curtailed()
    {
        var passive = await PassiveDemo();
        var kpis = Kpis((await EnergyHubCli.Run("simulate", "--config", passive, "--json")).Out);
        var guarded = Kpis((await EnergyHubCli.Run("simulate", "--config", Demo, "--json")).Out);

        var curtailed = kpis.GetProperty("PvCurtailedKwh").GetDouble();
        Assert.That(curtailed, Is.LessThan(0.01), "without the guard only the inverter's rating clips a few Wh");
        Assert.That(kpis.GetProperty("UnavoidableCurtailmentKwh").GetDouble(), Is.LessThanOrEqualTo(curtailed), "of those few Wh (it was 12.73 kWh of 0)");
        Assert.That(guarded.GetProperty("UnavoidableCurtailmentKwh").GetDouble(), Is.GreaterThan(0).And.LessThanOrEqualTo(guarded.GetProperty("PvCurtailedKwh").GetDouble()));
    }

    [Test]
    public async Task A_site_without_prices_shows_no_money_rather_than_zeros_in_no_currency()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-noprices-").FullName;
        var path = Path.Combine(dir, "noprices.ini");
        await File.WriteAllTextAsync(path, $"[Common]\nDataDir = {dir}/data\n[Journal]\nEnabled = false\n[Web]\nEnabled = false\n" +
            "[Device:site]\nDriver = sim-site\n[Device:grid]\nDriver = sim-meter\nSite = site\n");

        var (code, output, errors) = await EnergyHubCli.Run("simulate", "--config", path, "--to", "2025-11-11T20:00:00Z");

        Assert.That(code, Is.Zero, errors);
        var netCost = output.Split('\n').Single(l => l.Contains("Net cost", StringComparison.Ordinal));
        Assert.That(netCost, Does.Contain("Net cost, no prices read").And.Contain(" - "));
        Assert.That(output, Does.Not.Contain("cost, │").And.Not.Contain("cost,  "));
    }

    [Test]
    public async Task Compare_prints_configs_side_by_side_and_writes_a_timeline_per_config()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-compare-").FullName;
        var baseline = Path.Combine(dir, "baseline.ini");
        await File.WriteAllTextAsync(baseline, (await File.ReadAllTextAsync(Demo))
            .Replace("ReadingLogger = true", "ReadingLogger = false", StringComparison.Ordinal)
            .Replace("DataDir = ../data/demo", $"DataDir = {dir}/data", StringComparison.Ordinal)
            .Replace("Dir = logs", "Dir =", StringComparison.Ordinal));
        var csv = Path.Combine(dir, "timeline.csv");

        var (code, output, errors) = await EnergyHubCli.Run("simulate", "--compare", baseline, Demo, "--from", "2025-11-12T00:00:00+10:00", "--to", "2025-11-12T06:00:00+10:00", "--step", "30s", "--csv", csv);

        Assert.That(code, Is.Zero, errors);
        Assert.That(output, Does.Contain("baseline.ini").And.Contain("demo.ini").And.Contain("Best possible net cost at the run's end SOC (LP)").And.Contain("Regret (net cost − best possible)"));
        var lines = await File.ReadAllLinesAsync(Path.Combine(dir, "timeline-baseline.csv"));
        Assert.That(lines, Has.Length.EqualTo(1 + 6 * 120), "a header and one line per 30 s step");
        Assert.That(lines[0], Is.EqualTo("time_utc,pv_w,curtailed_w,grid_w,battery_w,soc_pct,load_w,controlled_w,limit_pct,import_per_kwh,feed_in_per_kwh"));
        Assert.That(File.Exists(Path.Combine(dir, "timeline-demo.csv")), Is.True);
        var best = await File.ReadAllLinesAsync(Path.Combine(dir, "timeline-demo-best.csv"));
        Assert.That(best[0], Is.EqualTo("time_utc,pv_w,grid_w,controlled_w,soc_pct,import_per_kwh,feed_in_per_kwh"));
        Assert.That(best, Has.Length.EqualTo(1 + 6 * 60), "the best possible schedule: a header and one line per 1-minute bucket");
    }

    [Test]
    public async Task Bad_arguments_say_what_is_expected()
    {
        var (code, _, errors) = await EnergyHubCli.Run("simulate", "--config", Demo, "--from", "yesterday");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("--from and --to must be ISO dates or times"));
    }
}
