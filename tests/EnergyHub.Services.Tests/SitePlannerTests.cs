using EnergyHub.Services.BatteryScheduler;

namespace EnergyHub.Services.Tests;

/// <summary>The car planned together with the battery: where its energy goes, and what the battery's plan then does.</summary>
public sealed class SitePlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly BatterySpec Ideal = new(10, 5, 5, RoundTripEfficiencyPct: 100, ReserveSocPct: 0);

    private static PlanSlot[] Hours(params (double Import, double FeedIn, double Pv, double Load)[] hours) =>
        [.. hours.Select((h, i) => new PlanSlot(T0.AddHours(i), TimeSpan.FromHours(1), h.Import, h.FeedIn, h.Pv, h.Load))];

    private static EnergyDemand Car(double kwh, int deadlineHour, double kw = 11) => new("ev", kwh * 1000, T0.AddHours(deadlineHour), kw * 1000);

    private static SitePlan Plan(PlanSlot[] slots, EnergyDemand[] demands, double soc = 0, BatterySpec? battery = null, PlannerLimits? limits = null, double terminal = 0) =>
        SitePlanner.Plan(slots, soc, battery ?? Ideal, limits ?? new PlannerLimits(), terminal, demands, T0);

    [Test]
    public void Without_demands_it_is_the_battery_planner_alone()
    {
        var slots = Hours((0.10, 0, 0, 0), (0.50, 0, 0, 2));
        var alone = BatteryPlanner.Plan(slots, 0, Ideal, new PlannerLimits(), 0);
        var site = Plan(slots, []);
        Assert.That(site.Demands, Is.Empty);
        Assert.That(site.Battery.Slots, Is.EqualTo(alone.Slots));
    }

    // (import, feed-in, PV, load) per hour beside a battery too small to matter; the car's kWh and deadline hour; its kWh in each hour.
    private static IEnumerable<TestCaseData> Placements()
    {
        yield return new TestCaseData(Hours((0.30, 0.05, 0, 0), (0.10, 0.05, 0, 0), (0.20, 0.05, 0, 0)), 12.0, 3, new[] { 0.0, 11.0, 1.0 })
            .SetName("The cheapest hour first, then the next cheapest");
        yield return new TestCaseData(Hours((0.10, 0.05, 0, 0), (0.30, 0.05, 6, 0), (0.30, 0.05, 0, 0)), 5.0, 3, new[] { 0.0, 5.0, 0.0 })
            .SetName("PV that would be exported at 0.05 beats the cheapest import");
        yield return new TestCaseData(Hours((0.20, 0.05, 0, 0), (0.20, 0.05, 0, 0), (0.10, 0.05, 0, 0)), 6.0, 2, new[] { 0.0, 6.0, 0.0 })
            .SetName("Equal prices: the later hour, and nothing after the deadline");
        yield return new TestCaseData(Hours((0.20, -0.05, 8, 0), (0.05, 0.05, 0, 0)), 5.0, 2, new[] { 5.0, 0.0 })
            .SetName("PV curtailed otherwise (feed-in below 0) beats any import");
    }

    [TestCaseSource(nameof(Placements))]
    public void The_cars_energy_goes_where_the_site_pays_least(PlanSlot[] slots, double kwh, int deadline, double[] expected)
    {
        var placed = Plan(slots, [Car(kwh, deadline)], battery: Ideal with { CapacityKwh = 0.01 }).Demands.Single();
        Assert.That(placed.Kwh, Is.EqualTo(expected).Within(0.02));
        Assert.That(placed.ShortKwh, Is.EqualTo(0).Within(1e-6));
    }

    [Test]
    public void The_battery_plan_counts_the_cars_energy_as_load_where_it_goes()
    {
        // The car takes the midday PV; without it, the battery would have stored it for the evening.
        var slots = Hours((0.30, 0.05, 0, 0), (0.30, 0.05, 6, 0), (0.50, 0.05, 0, 3));
        var site = Plan(slots, [Car(3, 3)], battery: Ideal with { CycleCostPerKwh = 0.01 });
        Assert.That(site.Demands[0].Kwh[1], Is.EqualTo(3).Within(1e-6), "the car takes 3 kWh of the PV");
        var midday = site.Battery.Slots[1];
        Assert.That(midday.GridKw, Is.EqualTo(3 - 6 + midday.BatteryKw).Within(1e-9), "the battery's plan counts the car's 3 kWh as load");
        Assert.That(midday.SocEndPct, Is.GreaterThanOrEqualTo(30 - 1e-9), "the evening's 3 kWh are still stored");
        Assert.That(site.Demands[0].GridKwh.Sum(), Is.EqualTo(0).Within(1e-6), "none of the car's energy comes from the grid");
    }

    [Test]
    public void What_does_not_fit_before_the_deadline_is_short_and_time_beyond_the_prices_is_used_last()
    {
        var slots = Hours((0.10, 0, 0, 0), (0.20, 0, 0, 0));
        var tight = Plan(slots, [Car(30, 2, kw: 11)]).Demands.Single();
        Assert.That(tight.Kwh, Is.EqualTo(new[] { 11.0, 11.0 }).Within(1e-6));
        Assert.That(tight.ShortKwh, Is.EqualTo(8).Within(1e-6));
        var beyond = Plan(slots, [Car(15, 5, kw: 11)]).Demands.Single();
        Assert.That(beyond.Kwh.Sum(), Is.EqualTo(15).Within(1e-6), "the published hours are used first");
        Assert.That(beyond.BeyondKwh, Is.EqualTo(0).Within(1e-6));
        var more = Plan(slots, [Car(25, 5, kw: 11)]).Demands.Single();
        Assert.That((more.Kwh.Sum(), more.BeyondKwh, more.ShortKwh), Is.EqualTo((22.0, 3.0, 0.0)).Within(1e-6));
    }

    [Test]
    public void The_grid_share_is_what_the_battery_plan_imports_in_the_cars_hours()
    {
        var slots = Hours((0.10, 0.05, 2, 0), (0.50, 0.05, 0, 0));
        var placed = Plan(slots, [Car(5, 2)], battery: Ideal with { CapacityKwh = 0.01 }).Demands.Single();
        Assert.That(placed.Kwh[0], Is.EqualTo(5).Within(0.02));
        Assert.That(placed.GridKwh[0], Is.EqualTo(3).Within(0.02), "2 of the 5 kWh come from PV");
        Assert.That(placed.PvKwh[0], Is.EqualTo(2).Within(0.02));
    }

    [Test]
    public void A_target_for_the_battery_still_holds_beside_the_car()
    {
        var slots = Hours((0.10, 0, 0, 0), (0.10, 0, 0, 0), (0.50, 0, 0, 0));
        var limits = new PlannerLimits(GridImportCapKw: 6, Target: new SocTarget(T0.AddHours(2), 80));
        var site = Plan(slots, [Car(10, 2)], limits: limits);
        Assert.That(site.Battery.TargetMissedPct, Is.EqualTo(0).Within(1e-9));
        Assert.That(site.Battery.Slots[1].SocEndPct, Is.GreaterThanOrEqualTo(80 - 1e-9));
        Assert.That(site.Demands[0].Kwh.Sum() + site.Demands[0].ShortKwh, Is.EqualTo(10).Within(1e-6));
        Assert.That(site.Demands[0].ShortKwh, Is.EqualTo(6).Within(1e-6), "12 kWh of import in two hours: 8 for the battery's target, 4 for the car");
    }
}
