using EnergyHub.Readings;
using EnergyHub.Services.BatteryScheduler;

namespace EnergyHub.Services.Tests;

/// <summary>The battery plan over a Polish day on which the clocks change: 92 or 100 quarter-hours, none lost or doubled.</summary>
public sealed class DstDayPlanTests
{
    private static readonly TimeZoneInfo Warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");

    // A Polish day's quarter-hours, priced by the local hour: cheap before 05:00, dear from 18:00 to 21:00, middling else.
    private static (List<PriceInterval> Intervals, DateTimeOffset Start) Day(string day)
    {
        var date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
        var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), Warsaw.GetUtcOffset(date.ToDateTime(TimeOnly.MinValue))).ToUniversalTime();
        var end = new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), Warsaw.GetUtcOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue))).ToUniversalTime();
        var intervals = new List<PriceInterval>();
        for (var at = start; at < end; at = at.AddMinutes(15))
        {
            var hour = TimeZoneInfo.ConvertTime(at, Warsaw).Hour;
            intervals.Add(new PriceInterval(at, at.AddMinutes(15), hour < 5 ? 0.10 : hour is >= 18 and < 21 ? 0.90 : 0.40, 0.05, false));
        }
        return (intervals, start);
    }

    [TestCase("2026-03-29", 92)]
    [TestCase("2026-10-25", 100)]
    [TestCase("2026-06-01", 96)]
    public void A_clock_change_day_is_planned_quarter_by_quarter_in_local_time(string day, int quarters)
    {
        var (intervals, start) = Day(day);
        Assert.That(intervals, Has.Count.EqualTo(quarters));

        var slots = PriceSlots.From(new PriceSeries("PLN", intervals), start);
        var options = new BatterySchedulerOptions { Battery = "battery", Prices = "prices", GridMeter = "grid", CycleCostPerKwh = 0 };
        var spec = BatteryPlanning.Spec(options, null);
        var (plan, _) = BatteryPlanning.Plan(options, spec, slots, new SiteHistory(), 20, 0, 300, null, Warsaw);

        Assert.That(plan.Slots, Has.Count.EqualTo(quarters), "one slot per quarter-hour of the day");
        Assert.That(plan.Slots.Zip(plan.Slots.Skip(1)).All(p => p.Second.Start - p.First.Start == TimeSpan.FromMinutes(15)), Is.True, "none lost, none doubled");
        Assert.That(plan.Slots.All(s => s.Start.Offset == Warsaw.GetUtcOffset(s.Start)), Is.True, "each slot in Warsaw's time at that instant");
        var charging = plan.Slots.Where(s => s.Action == PlannedAction.ChargeFromGrid).ToList();
        Assert.That(charging, Is.Not.Empty);
        Assert.That(charging.All(s => s.Start.Hour < 5), Is.True, "charged in the cheap local hours");
        var used = plan.Slots.SkipWhile(s => s != charging[^1]).First(s => s.BatteryKw < 0);
        var local = TimeZoneInfo.ConvertTime(used.Start, Warsaw).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(used.Start.UtcDateTime.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), Is.Not.EqualTo(local));
        Assert.That(charging[^1].Why, Does.Contain($"to be used from {local}"), "the reason speaks the site's local time");
    }

    [TestCase("2026-03-29", 92)]
    [TestCase("2026-10-25", 100)]
    public void The_rules_decide_every_quarter_of_a_clock_change_day_and_charge_in_its_cheap_local_hours(string day, int quarters)
    {
        var (intervals, start) = Day(day);
        var slots = PriceSlots.From(new PriceSeries("PLN", intervals), start);
        var spec = BatteryPlanning.Spec(new BatterySchedulerOptions { Battery = "battery", Prices = "prices", GridMeter = "grid" }, null);
        var rules = new RulesStrategy(spec, new RulesSettings(), Warsaw);
        var decided = new List<(DateTimeOffset Start, PlannedAction Action)>();

        ScheduleReplay.Run(slots, spec, 10, i => slots.Count, view =>
        {
            var order = rules.Decide(view);
            decided.Add((view.Known[0].Start, order.Action));
            return order;
        });

        Assert.That(decided.Select(d => d.Start).Distinct().Count(), Is.EqualTo(quarters), "one decision per quarter-hour, none lost or doubled");
        var charging = decided.Where(d => d.Action == PlannedAction.ChargeFromGrid).Select(d => TimeZoneInfo.ConvertTime(d.Start, Warsaw).Hour).ToList();
        Assert.That(charging, Is.Not.Empty.And.All.LessThan(5), "a low battery is charged in the cheap local hours");
    }
}
