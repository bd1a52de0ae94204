using System.Globalization;
using System.Text;
using EnergyHub.Core.Simulation;

namespace EnergyHub.Tests;

/// <summary>
/// The export guard's acceptance: replays of whole days on the simulated site (10 s telemetry delay, 15 s polling)
/// with no control, with the seed system's law (a test plugin, never shipped) and with ours, compared on export while
/// exporting costs money, curtailment beyond what the physics made unavoidable, and inverter writes.
/// </summary>
public sealed class ExportGuardReplayTests
{
    private static readonly string Examples = Path.Combine(EnergyHubCli.RepoRoot, "config", "examples");

    public static IEnumerable<TestCaseData> Days()
    {
        foreach (var delay in new[] { "5s", "10s", "15s" })
        {
            yield return new TestCaseData("amber-2025-11-12", null, delay).SetName($"Replay_of_the_Amber_negative_feed_in_day_telemetry_{delay}_late");
            yield return new TestCaseData("de-2024-07-07", Path.Combine(AppContext.BaseDirectory, "Data", "de-dayahead-2024-07-07.csv"), delay)
                .SetName($"Replay_of_the_German_negative_price_day_telemetry_{delay}_late");
        }
    }

    [TestCaseSource(nameof(Days))]
    public async Task Ours_exports_less_than_the_seed_law_with_no_more_unnecessary_curtailment_and_no_more_writes(string day, string? priceFile, string delay)
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-guard-replay-").FullName;
        var plugins = Path.Combine(dir, "plugins", "SeedExportGuard");
        Directory.CreateDirectory(plugins);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "SeedExportGuard.dll"), Path.Combine(plugins, "SeedExportGuard.dll"));
        var ours = await File.ReadAllTextAsync(Path.Combine(Examples, "export-guard-sim.ini"));
        var configs = new Dictionary<string, string>
        {
            ["no control"] = await File.ReadAllTextAsync(Path.Combine(Examples, "no-control-sim.ini")),
            ["seed law"] = ours.Replace("ExportGuard = true", "SeedExportGuard = true", StringComparison.Ordinal)
                .Replace("[ExportGuard]", "[SeedExportGuard]", StringComparison.Ordinal)
                .Replace("ThresholdPerKwh = 0", "", StringComparison.Ordinal),
            ["ours"] = ours,
            // The guard's own loop on the active power limit, for inverters without an export limit, where writes are cheap.
            ["power loop"] = ours.Replace("[ExportGuard]", "[ExportGuard]\nLimitBy = PowerLimit\nMaxWritesPerHour = 360", StringComparison.Ordinal),
        };
        var files = new List<string>();
        foreach (var (name, text) in configs)
        {
            var file = Path.Combine(dir, name.Replace(' ', '-') + ".ini");
            var site = priceFile is null ? "" : $"PriceFile = {priceFile}\nPriceCurrency = EUR\n";
            await File.WriteAllTextAsync(file, text
                .Replace("DataDir = ../../data/", $"DataDir = {dir}/data/", StringComparison.Ordinal)
                .Replace("MeasurementDelay = 10s", $"MeasurementDelay = {delay}", StringComparison.Ordinal)
                .Replace("[Device:site]\n", "[Device:site]\n" + site, StringComparison.Ordinal));
            files.Add(file);
        }

        var results = (await Replays.Run(files, pluginDir: Path.Combine(dir, "plugins"))).Results.Select(r => r.Kpis).ToArray();
        var (none, seed, guard, loop) = (results[0], results[1], results[2], results[3]);
        TestContext.Out.WriteLine(Table($"{day}, telemetry {delay} late", configs.Keys.ToArray(), results));
        Assert.That(Wh(none.ExportBelowThresholdKwh), Is.GreaterThan(1000), "the day must have costly export to avoid");
        Assert.Multiple(() =>
        {
            Assert.That(Wh(guard.ExportBelowThresholdKwh), Is.LessThan(Wh(seed.ExportBelowThresholdKwh)), "export while costly");
            Assert.That(Wh(guard.UnnecessaryCurtailmentKwh), Is.LessThanOrEqualTo(Wh(seed.UnnecessaryCurtailmentKwh)), "unnecessary curtailment");
            Assert.That(guard.CommandsSent, Is.LessThanOrEqualTo(seed.CommandsSent), "writes");
            Assert.That(Wh(loop.ExportBelowThresholdKwh), Is.LessThanOrEqualTo(Wh(seed.ExportBelowThresholdKwh) + 10), "the loop's export while costly (within 10 Wh)");
            Assert.That(Wh(loop.UnnecessaryCurtailmentKwh), Is.LessThanOrEqualTo(Wh(seed.UnnecessaryCurtailmentKwh)), "the loop's unnecessary curtailment");
            Assert.That(loop.CommandsSent, Is.LessThan(seed.CommandsSent), "the loop's writes");
        });
    }

    private static double Wh(double kwh) => kwh * 1000;

    private static string Table(string day, string[] names, SimulationKpis[] kpis)
    {
        var table = new StringBuilder().Append(CultureInfo.InvariantCulture, $"| {day} | {string.Join(" | ", names)} |\n|---|{string.Concat(names.Select(_ => "---|"))}\n");
        void Row(string label, Func<SimulationKpis, string> value) => table.Append(CultureInfo.InvariantCulture, $"| {label} | {string.Join(" | ", kpis.Select(value))} |\n");
        Row("export while costly, Wh", k => Wh(k.ExportBelowThresholdKwh).ToString("0.0", CultureInfo.InvariantCulture));
        Row("PV curtailed, Wh", k => Wh(k.PvCurtailedKwh).ToString("0", CultureInfo.InvariantCulture));
        Row("of which unavoidable, Wh", k => Wh(k.UnavoidableCurtailmentKwh).ToString("0", CultureInfo.InvariantCulture));
        Row("unnecessary curtailment, Wh", k => Wh(k.UnnecessaryCurtailmentKwh).ToString("0", CultureInfo.InvariantCulture));
        Row("limit writes", k => k.CommandsSent.ToString(CultureInfo.InvariantCulture));
        Row("net cost", k => $"{k.NetCost.ToString("0.00", CultureInfo.InvariantCulture)} {k.Currency}");
        return table.ToString();
    }
}
