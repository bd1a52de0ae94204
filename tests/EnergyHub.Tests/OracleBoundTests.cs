namespace EnergyHub.Tests;

/// <summary>
/// The yardstick must be one no run can beat: every shipped simulated config is replayed for its day and must cost at
/// least the best possible (the LP oracle at the run's own end SOC). A run below it means the oracle leaves something
/// out, and every regret measured against it would hide a defect.
/// </summary>
public sealed class OracleBoundTests
{
    // Runs against an emulated Axpert on a socat pty: not a simulated site, so `simulate` refuses it by design.
    private static readonly string[] NotReplayable = ["axpert-sim.ini"];

    public static IEnumerable<TestCaseData> Configs() =>
        Directory.GetFiles(Path.Combine(EnergyHubCli.RepoRoot, "config", "examples"), "*-sim.ini")
            .Append(Path.Combine(EnergyHubCli.RepoRoot, "config", "demo.ini"))
            .Where(f => !NotReplayable.Contains(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(f).SetName($"No_run_beats_its_oracle_{Path.GetFileNameWithoutExtension(f)}"));

    [Test]
    public void Every_shipped_simulated_config_is_covered() =>
        Assert.That(Configs().Count(), Is.GreaterThanOrEqualTo(11), "the examples folder lost its simulated configs, or the pattern no longer finds them");

    [TestCaseSource(nameof(Configs))]
    public async Task No_run_beats_its_oracle(string config)
    {
        var result = (await Replays.Run([config])).Results[0];
        var net = result.Kpis.NetCost;
        Assert.That(result.OracleNetCost, Is.Not.Null, "the oracle found no solution");
        var oracle = result.OracleNetCost!.Value;
        TestContext.Out.WriteLine($"{Path.GetFileName(config)}: net {net:0.000}, best possible {oracle:0.000}, regret {result.Regret}");
        Assert.That(net, Is.GreaterThanOrEqualTo(oracle - 1e-6), "the run beat the best possible: the oracle misses something the site can do");
    }
}
