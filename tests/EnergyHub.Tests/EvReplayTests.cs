namespace EnergyHub.Tests;

/// <summary>The EvCharging service's modes on a whole simulated day, compared with each other (not hard-coded).</summary>
public sealed class EvReplayTests
{
    [Test]
    public async Task Pv_only_charges_from_surplus_pv_all_uses_all_of_it_topped_up_max_charges_from_the_grid_and_the_phase_filter_holds_through_clouds()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-ev-replay-").FullName;
        var files = new List<string>();
        foreach (var name in new[] { "ev-pv-sim.ini", "ev-pvall-sim.ini", "ev-max-sim.ini", "ev-pv-nofilter-sim.ini" })
        {
            var file = Path.Combine(dir, name);
            var text = await File.ReadAllTextAsync(Path.Combine(EnergyHubCli.RepoRoot, "config", "examples", name));
            await File.WriteAllTextAsync(file, text.Replace("DataDir = ../../data/", $"DataDir = {dir}/data/", StringComparison.Ordinal));
            files.Add(file);
        }

        var (runs, warnings) = await Replays.Run(files);

        Assert.That(warnings, Is.Empty, "the safe state on stop is owned and confirmed");
        var ev = runs.Select(r => r.Consumer("ev")).ToArray();
        double FromPv(int i) => ev[i].FromPvKwh;
        double FromGrid(int i) => ev[i].FromGridKwh;
        double Export(int i) => runs[i].Kpis.GridExportKwh;
        int PhaseSwitches(int i) => ev[i].PhaseSwitches;
        TestContext.Out.WriteLine(string.Join("\n", new[] { "PvOnly", "PvAll", "Max", "PvOnly without the phase filter" }.Select((m, i) =>
            $"{m}: EV {FromPv(i):0.00} kWh from PV, {FromGrid(i):0.00} kWh from grid or battery; export {Export(i):0.00} kWh; switched on {ev[i].SwitchCycles} times; {PhaseSwitches(i)} phase switches")));

        Assert.Multiple(() =>
        {
            Assert.That(FromPv(0), Is.GreaterThan(5 * FromGrid(0)), "PvOnly: mostly PV");
            Assert.That(FromPv(1), Is.GreaterThan(FromPv(0)), "PvAll takes the surplus PvOnly leaves below its minimum");
            Assert.That(FromGrid(1), Is.GreaterThan(FromGrid(0)), "and tops it up");
            Assert.That(Export(1), Is.LessThan(Export(0)));
            Assert.That(FromGrid(2), Is.GreaterThan(FromPv(2) + FromPv(0)), "Max charges at once, mostly from the grid at night");
            Assert.That(PhaseSwitches(0), Is.GreaterThan(0), "PvOnly uses both 1 and 3 phases on a sunny day");
            Assert.That(PhaseSwitches(0) * 2, Is.LessThan(PhaseSwitches(3)), "a phase wish that must last PhaseSwitchDelay halves the switches at least");
            Assert.That(PhaseSwitches(2), Is.Zero, "Max stays on 3 phases");
        });
    }
}
