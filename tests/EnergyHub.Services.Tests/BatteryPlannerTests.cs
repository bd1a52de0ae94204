using EnergyHub.Services.BatteryScheduler;

namespace EnergyHub.Services.Tests;

/// <summary>The optimal battery plan: arbitrage, losses, limits, reserve, target, import cap, and a brute-force check.</summary>
public sealed class BatteryPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly BatterySpec Ideal = new(10, 5, 5, RoundTripEfficiencyPct: 100, ReserveSocPct: 0);

    private static PlanSlot[] Hours(params (double Import, double FeedIn, double Pv, double Load)[] hours) =>
        [.. hours.Select((h, i) => new PlanSlot(T0.AddHours(i), TimeSpan.FromHours(1), h.Import, h.FeedIn, h.Pv, h.Load))];

    private static BatteryPlan Plan(PlanSlot[] slots, double soc = 0, BatterySpec? battery = null, PlannerLimits? limits = null, double terminal = 0) =>
        BatteryPlanner.Plan(slots, soc, battery ?? Ideal, limits ?? new PlannerLimits(), terminal);

    [Test]
    public void It_charges_in_the_cheap_hour_what_the_dear_hour_needs_and_no_more()
    {
        var plan = Plan(Hours((0.10, 0, 0, 0), (0.50, 0, 0, 2)));
        Assert.That(plan.Slots.Select(s => s.Action), Is.EqualTo(new[] { PlannedAction.ChargeFromGrid, PlannedAction.SelfConsume }));
        Assert.That((plan.Slots[0].BatteryKw, plan.Slots[0].SocEndPct, plan.Cost), Is.EqualTo((2.0, 20.0, 0.2)).Within(1e-9));
        Assert.That(plan.Slots[0].Why, Does.StartWith("charging 2.0 kW from the grid now at 0.100/kWh: the cheapest of the 2 slots ahead, to be used from 01:00 when the grid costs up to 0.500/kWh"));
    }

    [Test]
    public void A_use_on_the_next_local_day_says_tomorrow()
    {
        // Cheap at 22:00, dear at 06:00 the next morning.
        var evening = T0.AddHours(22);
        PlanSlot[] slots = [.. Enumerable.Range(0, 9).Select(i => new PlanSlot(evening.AddHours(i), TimeSpan.FromHours(1), i == 0 ? 0.10 : i == 8 ? 0.50 : 0.30, 0, 0, i == 8 ? 2 : 0))];
        var plan = Plan(slots);
        Assert.That(plan.Slots[0].Why, Does.Contain("to be used from tomorrow 06:00 when the grid costs up to 0.500/kWh"));
    }

    [Test]
    public void Losses_make_a_small_price_spread_not_worth_charging_for()
    {
        var lossy = Ideal with { RoundTripEfficiencyPct = 81 }; // 0.9 each way: a kWh at 0.10 comes out at 0.123
        Assert.That(Plan(Hours((0.10, 0, 0, 0), (0.12, 0, 0, 2)), battery: lossy).Slots[0].Action, Is.EqualTo(PlannedAction.SelfConsume));
        Assert.That(Plan(Hours((0.10, 0, 0, 0), (0.13, 0, 0, 2)), battery: lossy).Slots[0].Action, Is.EqualTo(PlannedAction.ChargeFromGrid));
    }

    [Test]
    public void Wear_makes_a_spread_below_the_cycle_cost_not_worth_charging_for() =>
        Assert.That(Plan(Hours((0.10, 0, 0, 0), (0.14, 0, 0, 2)), battery: Ideal with { CycleCostPerKwh = 0.05 }).Slots[0].Action, Is.EqualTo(PlannedAction.SelfConsume));

    [Test]
    public void The_charge_power_limits_each_slot_and_the_cheap_hours_are_used_in_turn()
    {
        var plan = Plan(Hours((0.10, 0, 0, 0), (0.12, 0, 0, 0), (0.50, 0, 0, 2)), battery: Ideal with { MaxChargeKw = 1 });
        Assert.That(plan.Slots.Take(2).Select(s => s.BatteryKw), Is.EqualTo(new[] { 1.0, 1.0 }).Within(1e-9));
    }

    [Test]
    public void It_never_plans_below_the_reserve_and_a_start_below_it_only_rises()
    {
        var plan = Plan(Hours((0.50, 0, 0, 3), (0.50, 0, 0, 3)), soc: 30, battery: Ideal with { ReserveSocPct = 20 });
        var low = Plan(Hours((0.50, 0, 0, 3), (0.10, 0, 0, 0)), soc: 5, battery: Ideal with { ReserveSocPct = 20 });
        Assert.That(plan.Slots.Select(s => s.SocEndPct), Is.EqualTo(new[] { 20.0, 20.0 }), "1 kWh above the reserve covers the first hour, then the grid");
        Assert.That(low.Slots[0].SocEndPct, Is.EqualTo(5.0), "below the reserve it does not discharge further");
    }

    [Test]
    public void A_target_by_a_time_is_met_even_when_it_costs_more_and_a_missed_one_is_reported()
    {
        var target = new PlannerLimits(Target: new SocTarget(T0.AddHours(2), 80));
        var plan = Plan(Hours((0.30, 0, 0, 0), (0.20, 0, 0, 0), (0.10, 0, 0, 0)), limits: target);
        var impossible = Plan(Hours((0.30, 0, 0, 0), (0.20, 0, 0, 0)), battery: Ideal with { MaxChargeKw = 2 }, limits: new PlannerLimits(Target: new SocTarget(T0.AddHours(1), 80)));
        Assert.That(plan.Slots[2].SocStartPct, Is.EqualTo(80.0), "80 % at 02:00, though 02:00 itself is cheaper");
        Assert.That(plan.TargetMissedPct, Is.Zero);
        Assert.That(impossible.TargetMissedPct, Is.EqualTo(60.0).Within(1e-9), "2 kW for an hour reaches 20 %, not 80 %");
    }

    [Test]
    public void Grid_charging_stays_under_the_import_cap() =>
        Assert.That(Plan(Hours((0.10, 0, 0, 1), (0.50, 0, 0, 5)), limits: new PlannerLimits(GridImportCapKw: 3)).Slots[0].GridKw, Is.EqualTo(3.0).Within(1e-9));

    [Test]
    public void With_a_negative_feed_in_price_the_surplus_goes_into_the_battery_even_when_it_is_worth_little_later()
    {
        var plan = Plan(Hours((0.30, -0.05, 4, 1), (0.01, 0.0, 0, 3)));
        Assert.That((plan.Slots[0].Action, plan.Slots[0].BatteryKw, plan.Slots[0].GridKw), Is.EqualTo((PlannedAction.SelfConsume, 3.0, 0.0)));
    }

    [Test]
    public void A_price_above_refilling_discharges_to_the_grid_and_says_so()
    {
        var plan = Plan(Hours((0.30, 0.40, 0, 0), (0.10, 0.05, 0, 0)), soc: 50);
        Assert.That((plan.Slots[0].Action, plan.Slots[0].GridKw), Is.EqualTo((PlannedAction.Discharge, -5.0)));
        Assert.That(plan.Slots[0].Why, Is.EqualTo("discharging 5.0 kW, exporting 5.0 kW at 0.400/kWh: that earns more now than the energy saves later"));
    }

    [Test]
    public void A_battery_that_cannot_feed_the_grid_covers_only_the_house_when_the_feed_in_price_is_high()
    {
        var spec = Ideal with { DischargesToGrid = false };
        var plan = Plan(Hours((0.30, 0.40, 0, 1), (0.10, 0.05, 0, 0)), soc: 50, battery: spec);
        Assert.That(plan.Slots.Select(s => s.Action), Has.None.EqualTo(PlannedAction.Discharge));
        Assert.That((plan.Slots[0].BatteryKw, plan.Slots[0].GridKw), Is.EqualTo((-1.0, 0.0)).Within(1e-9), "the house's 1 kW from the battery, nothing exported");
    }

    [Test]
    public void It_never_pays_to_feed_the_grid_even_to_make_room_for_pv_at_a_lower_price_later()
    {
        // Exporting now costs 0.05/kWh; the noon surplus would cost 0.20/kWh to export. Curtailment avoids the latter for free.
        var plan = Plan(Hours((0.05, -0.05, 0, 0.5), (0.05, -0.20, 8, 0.5)), soc: 80);
        Assert.That(plan.Slots[0].Action, Is.Not.EqualTo(PlannedAction.Discharge));
        Assert.That(plan.Slots[0].GridKw, Is.GreaterThanOrEqualTo(-1e-9), "nothing exported at a negative price");
    }

    [Test]
    public void The_plan_costs_what_trying_every_path_finds_cheapest()
    {
        var random = new Random(7);
        var battery = new BatterySpec(4, 2, 2, RoundTripEfficiencyPct: 90, ReserveSocPct: 10, MaxSocPct: 90, CycleCostPerKwh: 0.02);
        var limits = new PlannerLimits(GridImportCapKw: 3, SocStepPct: 10);
        for (var trial = 0; trial < 20; trial++)
        {
            var slots = Hours([.. Enumerable.Range(0, 4).Select(_ => (random.NextDouble() * 0.4 - 0.05, random.NextDouble() * 0.2 - 0.05, random.NextDouble() * 3, random.NextDouble() * 2))]);
            var plan = BatteryPlanner.Plan(slots, 50, battery, limits, terminalValuePerKwh: 0.1);
            Assert.That(plan.Cost, Is.EqualTo(BruteForce(slots, 5, battery, limits)).Within(1e-9), $"trial {trial}");
        }
    }

    // Every path of states of charge (10 % steps) from `start`, within the battery's limits; the least cost.
    private static double BruteForce(PlanSlot[] slots, int start, BatterySpec battery, PlannerLimits limits)
    {
        var eta = battery.OneWayEfficiency;
        double Best(int i, int state)
        {
            if (i == slots.Length)
            {
                return -0.1 * state * 0.4 * eta;
            }
            var best = double.PositiveInfinity;
            for (var to = 1; to <= 9; to++)
            {
                var stored = (to - state) * 0.4;
                if (stored > 2 * eta + 1e-9 || -stored > 2 / eta + 1e-9)
                {
                    continue;
                }
                var grid = BatteryPlanner.GridKwh(slots[i], stored, eta);
                if (grid > 3 + 1e-9 || slots[i].FeedInPerKwh <= 0 && stored < 0 && grid < Math.Min(0, BatteryPlanner.GridKwh(slots[i], 0, eta)) - 1e-9)
                {
                    continue; // the import cap; no discharge into the grid at a feed-in price that costs
                }
                best = Math.Min(best, (grid > 0 ? grid * slots[i].ImportPerKwh : grid * slots[i].FeedInPerKwh) + Math.Abs(stored) * 0.01 + Best(i + 1, to));
            }
            return best;
        }
        return Best(0, start);
    }
}
