using System.Globalization;
using EnergyHub.Services.BatteryScheduler;

namespace EnergyHub.Services.Tests;

/// <summary>
/// A year of German day-ahead prices (2025, hourly) on a house with 7 kWp PV (national solar scaled), 4500 kWh of load
/// (OpenEMS' profile, every day alike) and a 10 kWh battery: no control, the optimal planner on a forecast, and the
/// oracle (the same planner knowing PV, load and prices two days ahead). Compared with each other, never with
/// hard-coded numbers. Net costs near zero (the house exports at spot prices) make ratios of costs meaningless, so the
/// strategies are compared by the share of the oracle's saving against no control they achieve.
/// </summary>
public sealed class BatteryScheduleReplayTests
{
    private const double PvKwhPerYear = 7 * 950;
    private const double LoadKwhPerYear = 4500;
    private const double GridFeesPerKwh = 0.20; // network charges, levies: added to the spot price for import
    private static readonly BatterySpec Battery = new(10, 5, 5, RoundTripEfficiencyPct: 90, ReserveSocPct: 10, MaxSocPct: 100, CycleCostPerKwh: 0.02);
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private PlanSlot[] _year = [];
    private readonly Dictionary<string, ReplayResult> _results = [];

    [OneTimeSetUp]
    public void Replay()
    {
        _year = Year();
        var limits = new PlannerLimits();
        _results["no control (self-consumption)"] = ScheduleReplay.Run(_year, Battery, 50, Known, _ => BatteryOrder.SelfConsume);
        // The coordinator's prices were PLN with fixed thresholds; in EUR its absolute ones scale by about 1/4.3.
        var rules = new RulesStrategy(Battery, new RulesSettings
        {
            HighPricePerKwh = 1.10 / 4.3, CriticalPricePerKwh = 1.20 / 4.3, CriticalWaitAbovePerKwh = 0.8 / 4.3, PrePeakMaxPerKwh = 0.9 / 4.3, CapacityKwh = Battery.CapacityKwh,
        }, Berlin);
        _results["coordinator rules"] = ScheduleReplay.Run(_year, Battery, 50, Known, rules.Decide);
        var optimal = new OptimalStrategy(Battery, limits);
        var example = "";
        _results["optimal planner (forecast)"] = ScheduleReplay.Run(_year, Battery, 50, Known, view =>
        {
            var order = optimal.Decide(view);
            example = example.Length == 0 && order.Action == PlannedAction.ChargeFromGrid && view.Index > 24 * 30 ? order.Why : example;
            return order;
        });
        TestContext.Progress.WriteLine($"A reason: {example}");
        var perfect = new OptimalStrategy(Battery, limits);
        _results["optimal planner (perfect PV and load forecast)"] = ScheduleReplay.Run(_year, Battery, 50, Known, v => perfect.DecideOn(v, [.. _year.Skip(v.Index).Take(v.Known.Count)]));
        // Perfect foresight: PV, load and prices two days ahead, whether published or not, re-planned every hour. (One plan
        // over the whole year is no bound here: it moves on the 1 % grid while self-consumption follows the house exactly.)
        var oracle = new OptimalStrategy(Battery, limits);
        _results["oracle (knows 48 h ahead)"] = ScheduleReplay.Run(_year, Battery, 50, i => i + 48, v => oracle.DecideOn(v, [.. _year.Skip(v.Index).Take(v.Known.Count)]));
        TestContext.Progress.WriteLine("| strategy | net cost, EUR | import, kWh | export, kWh | grid charging, kWh | battery cycles |");
        TestContext.Progress.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, r) in _results)
        {
            TestContext.Progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {r.NetCost:0.00} | {r.ImportKwh:0} | {r.ExportKwh:0} | {r.GridChargeKwh:0} | {r.EquivalentCycles:0.0} |"));
        }
    }

    [Test]
    public void The_oracle_is_the_cheapest_and_the_planner_saves_against_no_control()
    {
        var none = _results["no control (self-consumption)"].NetCost;
        var optimal = _results["optimal planner (forecast)"].NetCost;
        var oracle = _results["oracle (knows 48 h ahead)"].NetCost;
        Assert.That(oracle, Is.LessThanOrEqualTo(optimal + 1e-6), "nothing beats perfect foresight");
        Assert.That(optimal, Is.LessThan(none), "the planner saves against the battery's own self-consumption");
    }

    [Test]
    public void On_a_perfect_forecast_the_planner_comes_within_3_percent_of_the_oracle_s_saving()
    {
        var none = _results["no control (self-consumption)"].NetCost;
        var perfect = _results["optimal planner (perfect PV and load forecast)"].NetCost;
        var oracle = _results["oracle (knows 48 h ahead)"].NetCost;
        Assert.That((none - perfect) / (none - oracle), Is.GreaterThanOrEqualTo(0.97),
            "knowing only the published prices costs little: what the planner leaves on the table is the PV forecast's");
    }

    [Test]
    public void The_planner_on_its_forecast_keeps_most_of_the_oracle_s_saving_and_beats_the_rules()
    {
        var none = _results["no control (self-consumption)"].NetCost;
        var rules = _results["coordinator rules"].NetCost;
        var optimal = _results["optimal planner (forecast)"].NetCost;
        var oracle = _results["oracle (knows 48 h ahead)"].NetCost;
        Assert.That((none - optimal) / (none - oracle), Is.GreaterThanOrEqualTo(0.8), "at least 80 % of what perfect foresight saves");
        Assert.That(optimal, Is.LessThanOrEqualTo(rules - 0.1 * Math.Abs(rules)), "at least 10 % cheaper than the rules");
    }

    // The slots whose prices are known before slot i: today's (Berlin), and tomorrow's once published at 13:00.
    private int Known(int i)
    {
        var local = TimeZoneInfo.ConvertTime(_year[i].Start, Berlin);
        var endOfDay = local.Date.AddDays(local.Hour >= 13 ? 2 : 1);
        var end = new DateTimeOffset(endOfDay, Berlin.GetUtcOffset(endOfDay));
        var k = i;
        while (k < _year.Length && _year[k].Start < end)
        {
            k++;
        }
        return k;
    }

    private static PlanSlot[] Year()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Data");
        var rows = File.ReadLines(Path.Combine(dir, "de-dayahead-price-solar-hourly-2025.csv")).Skip(1).Select(line => line.Split(','))
            .Select(f => (Start: DateTimeOffset.Parse(f[0], CultureInfo.InvariantCulture), SolarMw: double.Parse(f[1], CultureInfo.InvariantCulture),
                Spot: double.Parse(f[2], CultureInfo.InvariantCulture) / 1000))
            .ToList();
        var minutes = File.ReadLines(Path.Combine(dir, "openems-consumption-1min-summer-weekday.csv")).Skip(1)
            .Select(l => -double.Parse(l, CultureInfo.InvariantCulture)).ToList();
        var hourly = Enumerable.Range(0, 24).Select(h => minutes.Skip(h * 60).Take(60).Average() / 1000).ToArray(); // kWh in each local hour
        var pvScale = PvKwhPerYear / rows.Sum(r => r.SolarMw);
        var loadScale = LoadKwhPerYear / (hourly.Sum() * rows.Count / 24);
        return [.. rows.Select(r => new PlanSlot(r.Start, TimeSpan.FromHours(1), r.Spot + GridFeesPerKwh, r.Spot, r.SolarMw * pvScale,
            Math.Max(0, hourly[TimeZoneInfo.ConvertTime(r.Start, Berlin).Hour]) * loadScale))];
    }
}
