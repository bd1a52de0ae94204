using BenchmarkDotNet.Attributes;
using EnergyHub.Services;
using EnergyHub.Services.BatteryScheduler;

namespace EnergyHub.Benchmarks;

/// <summary>
/// One battery plan: 96 quarter-hours (a PSE day) and 35 hours (today and tomorrow hourly) on a 1 % state-of-charge grid;
/// and the site's plan with a car's 20 kWh by the end of the day placed together with the battery (the LP, then the
/// battery's plan). Goal ≤ 50 ms each.
/// </summary>
[Config(typeof(TransportJob))]
public class PlannerBenchmarks
{
    private static readonly BatterySpec Battery = new(10, 5, 5, RoundTripEfficiencyPct: 90, ReserveSocPct: 10, CycleCostPerKwh: 0.02);
    private PlanSlot[] _quarters = [];
    private PlanSlot[] _hours = [];

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(2));
        PlanSlot Slot(int i, TimeSpan length)
        {
            var hour = (start + i * length).Hour;
            var price = 0.25 + 0.15 * Math.Sin(hour / 24.0 * 2 * Math.PI) + (hour is >= 17 and <= 21 ? 0.4 : 0);
            var pv = Math.Max(0, Math.Sin((hour - 6) / 14.0 * Math.PI)) * 5 * length.TotalHours;
            return new PlanSlot(start + i * length, length, price, price - 0.2, pv, 0.5 * length.TotalHours);
        }
        _quarters = [.. Enumerable.Range(0, 96).Select(i => Slot(i, TimeSpan.FromMinutes(15)))];
        _hours = [.. Enumerable.Range(0, 35).Select(i => Slot(i, TimeSpan.FromHours(1)))];
    }

    [Benchmark(Description = "planner: 96 x 15 min, 1 % SOC")]
    public BatteryPlan Quarters() => BatteryPlanner.Plan(_quarters, 50, Battery, new PlannerLimits(Target: new SocTarget(_quarters[28].Start, 80)), 0.1);

    [Benchmark(Description = "site planner: 96 x 15 min, the battery and a car's 20 kWh")]
    public SitePlan QuartersWithCar() => SitePlanner.Plan(_quarters, 50, Battery, new PlannerLimits(Target: new SocTarget(_quarters[28].Start, 80)), 0.1,
        [new EnergyDemand("ev", 20_000, _quarters[^1].End, 11_000)], _quarters[0].Start);

    [Benchmark(Description = "planner: 35 x 1 h, 1 % SOC")]
    public BatteryPlan Hours() => BatteryPlanner.Plan(_hours, 50, Battery, new PlannerLimits(), 0.1);
}
