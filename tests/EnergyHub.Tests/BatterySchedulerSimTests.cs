namespace EnergyHub.Tests;

/// <summary>The BatteryScheduler on a simulated day with PSE-like prices, against self-consumption alone and the coordinator's rules (compared, not hard-coded).</summary>
public sealed class BatterySchedulerSimTests
{
    [Test]
    public async Task The_optimal_plan_costs_less_than_self_consumption_and_the_rules_on_a_simulated_day()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-battery-sim-").FullName;
        var files = new List<string>();
        foreach (var name in new[] { "battery-none-sim.ini", "battery-rules-sim.ini", "battery-scheduler-sim.ini" })
        {
            var file = Path.Combine(dir, name);
            var text = await File.ReadAllTextAsync(Path.Combine(EnergyHubCli.RepoRoot, "config", "examples", name));
            await File.WriteAllTextAsync(file, text.Replace("DataDir = ../../data/", $"DataDir = {dir}/data/", StringComparison.Ordinal)
                .Replace("PriceFile = pse-like-day-prices.csv", $"PriceFile = {Path.Combine(EnergyHubCli.RepoRoot, "config", "examples", "pse-like-day-prices.csv")}", StringComparison.Ordinal));
            files.Add(file);
        }

        var (results, warnings) = await Replays.Run(files);

        Assert.That(warnings, Is.Empty, "the battery's self-consumption on stop is owned and confirmed");
        var cost = results.Select(r => r.Kpis.NetCost).ToArray();
        TestContext.Progress.WriteLine($"net cost, PLN: self-consumption {cost[0]:0.00}, rules {cost[1]:0.00}, optimal {cost[2]:0.00}");
        Assert.That(cost[2], Is.LessThan(cost[0]), "the plan beats the battery's own self-consumption");
        Assert.That(cost[2], Is.LessThan(cost[1]), "and the coordinator's rules");
    }
}
