using System.Text.Json;

namespace EnergyHub.Tests;

/// <summary>
/// The demo day with every service on (EvCharging, SurplusDistributor, BatteryScheduler, ExportGuard), beside the
/// export guard alone and the site without it, each against its own best possible (the LP oracle at the run's end SOC).
/// A service that wins alone but loses beside the others has not won: these are the acceptance of "one site, one optimum".
/// </summary>
public sealed class WholeSiteReplayTests
{
    private static string Variant(string dir, string name, string text)
    {
        var file = Path.Combine(dir, name + ".ini");
        File.WriteAllText(file, text.Replace("DataDir = ../data/demo", $"DataDir = {dir}/data", StringComparison.Ordinal));
        return file;
    }

    private static async Task<JsonElement[]> Simulate(params string[] files)
    {
        var (code, output, errors) = await Cli.Run(["simulate", "--compare", .. files, "--json"]);
        Assert.That(code, Is.Zero, errors);
        return [.. JsonDocument.Parse(output).RootElement.EnumerateArray()];
    }

    private static double Kpi(JsonElement result, string name) => result.GetProperty("Kpis").GetProperty(name).GetDouble();

    private static double FromPv(JsonElement result, string device) =>
        result.GetProperty("Kpis").GetProperty("Consumers").EnumerateArray().Single(c => c.GetProperty("Device").GetString() == device).GetProperty("FromPvKwh").GetDouble();

    [Test]
    public async Task On_the_demo_day_the_services_together_keep_what_each_wins_alone()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-site-replay-").FullName;
        var demo = await File.ReadAllTextAsync(Path.Combine(Cli.RepoRoot, "config", "demo.ini"));
        var all = Variant(dir, "all", demo);
        var guardAlone = Variant(dir, "guard-alone", demo.Replace("EvCharging = true", "EvCharging = false", StringComparison.Ordinal)
            .Replace("SurplusDistributor = true", "SurplusDistributor = false", StringComparison.Ordinal)
            .Replace("BatteryScheduler = true", "BatteryScheduler = false", StringComparison.Ordinal));
        var guardOff = Variant(dir, "guard-off", demo.Replace("ExportGuard = true", "ExportGuard = false", StringComparison.Ordinal));

        var results = await Simulate(all, guardAlone, guardOff);
        var (together, alone, without) = (results[0], results[1], results[2]);
        foreach (var r in results)
        {
            TestContext.Out.WriteLine($"{r.GetProperty("config")}: net {r.GetProperty("netCost").GetDouble():0.000}, best {r.GetProperty("oracleNetCost").GetDouble():0.000}, " +
                $"regret {r.GetProperty("regretPctOfSaving")} %, unnecessary curtailment {Kpi(r, "UnnecessaryCurtailmentKwh"):0.000} kWh, " +
                $"export at < 0 {Kpi(r, "ExportBelowThresholdKwh"):0.000} kWh, limit writes/h {Kpi(r, "LimitWritesPerCostlyHour"):0.0}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(Kpi(together, "UnnecessaryCurtailmentKwh"), Is.LessThanOrEqualTo(0.5), "curtailed PV the battery could have taken");
            Assert.That(Kpi(together, "ExportBelowThresholdKwh"), Is.LessThanOrEqualTo(Kpi(alone, "ExportBelowThresholdKwh") + 0.01),
                "export at a negative price, against the guard alone (within 10 Wh)");
            Assert.That(Kpi(together, "LimitWritesPerCostlyHour"), Is.LessThanOrEqualTo(12), "the inverter's limit written while export is costly, per hour");
            Assert.That(FromPv(together, "ev"), Is.GreaterThanOrEqualTo(0.9 * FromPv(without, "ev")), "the EV's PV with the guard on, against the guard off");
            Assert.That(together.GetProperty("netCost").GetDouble(), Is.LessThan(alone.GetProperty("netCost").GetDouble()), "together beats the guard alone");
            Assert.That(together.GetProperty("netCost").GetDouble(), Is.LessThan(without.GetProperty("netCost").GetDouble()), "and the site without it");
            Assert.That(together.GetProperty("regretPctOfSaving").GetDouble(), Is.LessThanOrEqualTo(5), "regret as a share of the achievable saving (the issue's goal)");
        });
    }

    [Test]
    public async Task On_a_pse_like_day_the_battery_plan_keeps_nine_tenths_of_what_could_be_saved()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-pse-replay-").FullName;
        var text = await File.ReadAllTextAsync(Path.Combine(Cli.RepoRoot, "config", "examples", "battery-scheduler-sim.ini"));
        var file = Path.Combine(dir, "battery-scheduler-sim.ini");
        await File.WriteAllTextAsync(file, text.Replace("DataDir = ../../data/", $"DataDir = {dir}/data/", StringComparison.Ordinal)
            .Replace("PriceFile = pse-like-day-prices.csv", $"PriceFile = {Path.Combine(Cli.RepoRoot, "config", "examples", "pse-like-day-prices.csv")}", StringComparison.Ordinal));

        var result = (await Simulate(file))[0];

        TestContext.Out.WriteLine($"net {result.GetProperty("netCost").GetDouble():0.00}, best {result.GetProperty("oracleNetCost").GetDouble():0.00}, regret {result.GetProperty("regretPctOfSaving")} %");
        Assert.That(result.GetProperty("regretPctOfSaving").GetDouble(), Is.LessThanOrEqualTo(10));
    }

    [Test]
    public async Task A_cars_charge_plan_planned_with_the_battery_loses_less_than_both_planned_apart()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-ev-plan-replay-").FullName;
        var text = (await File.ReadAllTextAsync(Path.Combine(Cli.RepoRoot, "config", "examples", "ev-plan-sim.ini")))
            .Replace("DataDir = ../../data/", $"DataDir = {dir}/data/", StringComparison.Ordinal)
            .Replace("PriceFile = pse-like-day-prices.csv", $"PriceFile = {Path.Combine(Cli.RepoRoot, "config", "examples", "pse-like-day-prices.csv")}", StringComparison.Ordinal);
        var together = Path.Combine(dir, "together.ini");
        var apart = Path.Combine(dir, "apart.ini");
        await File.WriteAllTextAsync(together, text);
        await File.WriteAllTextAsync(apart, text.Replace("Strategy = Optimal", "Strategy = Optimal\nPlanChargers = false", StringComparison.Ordinal));

        var (code, output, errors) = await Cli.Run(["simulate", "--compare", together, apart, "--json", "--from", "2025-11-10T23:00Z", "--to", "2025-11-12T23:00Z"]);
        Assert.That(code, Is.Zero, errors);
        var results = JsonDocument.Parse(output).RootElement.EnumerateArray().ToArray();
        foreach (var r in results)
        {
            TestContext.Out.WriteLine($"{r.GetProperty("config")}: net {r.GetProperty("netCost").GetDouble():0.00}, best {r.GetProperty("oracleNetCost").GetDouble():0.00}, " +
                $"regret {r.GetProperty("regretPctOfSaving")} %, car from PV {FromPv(r, "ev"):0.00} kWh");
        }
        Assert.That(results[0].GetProperty("regretPctOfSaving").GetDouble(), Is.LessThan(results[1].GetProperty("regretPctOfSaving").GetDouble()),
            "the site's plan with the car in it keeps more of what could be saved than the car's and the battery's plans made apart");
        Assert.That(FromPv(results[0], "ev"), Is.GreaterThan(FromPv(results[1], "ev")), "and the car gets more of its energy from PV");
    }
}
