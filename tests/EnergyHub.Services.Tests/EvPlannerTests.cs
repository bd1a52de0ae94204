using EnergyHub.Readings;
using EnergyHub.Services.EvCharging;

namespace EnergyHub.Services.Tests;

/// <summary>The charge plan: the missing energy at full power in the cheapest hours before the deadline.</summary>
public sealed class EvPlannerTests
{
    private static readonly DateTimeOffset Evening = new(2026, 3, 2, 20, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Morning = Evening.AddHours(11); // 07:00

    // Hourly prices from 20:00: dear in the evening, cheapest 01:00–04:00, dear again from 05:00.
    private static readonly double[] Hourly = [0.40, 0.35, 0.30, 0.25, 0.20, 0.10, 0.10, 0.12, 0.15, 0.30, 0.40];

    private static PriceInterval[] Prices(int hours = 11) =>
        [.. Hourly.Take(hours).Select((p, i) => new PriceInterval(Evening.AddHours(i), Evening.AddHours(i + 1), p, 0.05, i > 0))];

    private static EvPlanDecision Plan(double missingKwh, DateTimeOffset now, int publishedHours = 11) =>
        EvPlanner.Plan(now, Morning, missingKwh * 1000, 11_000, Prices(publishedHours), TimeZoneInfo.Utc);

    [TestCase(22, 2, new[] { 1, 2 }, TestName = "22 kWh at 11 kW: the two cheapest hours, 01:00 and 02:00")]
    [TestCase(33, 3, new[] { 1, 2, 3 }, TestName = "33 kWh: 01:00 to 04:00")]
    [TestCase(5.5, 1, new[] { 2 }, TestName = "5.5 kWh: half an hour, at the end of the later of the two cheapest hours (02:30)")]
    public void The_cheapest_hours_before_the_deadline_are_planned(double missingKwh, int _, int[] hoursAfterMidnight)
    {
        var plan = Plan(missingKwh, Evening);
        Assert.That(plan.ChargeNow, Is.False, plan.Why);
        Assert.That(plan.Slots.Select(s => s.Start.Hour).Distinct(), Is.EqualTo(hoursAfterMidnight), plan.Why);
        Assert.That(plan.Slots.Sum(s => (s.End - s.Start).TotalHours), Is.EqualTo(missingKwh / 11).Within(1e-9));
        Assert.That(plan.Why, Does.Contain("until then the surplus only"));
    }

    [Test]
    public void Inside_a_planned_hour_it_charges_now()
    {
        var plan = Plan(22, Evening.AddHours(5.5)); // 01:30
        Assert.That(plan.ChargeNow, Is.True, plan.Why);
        Assert.That(plan.Why, Does.Contain("charging now"));
    }

    [Test]
    public void Hours_without_a_published_price_are_used_last()
    {
        // Only 20:00–22:00 are published (0.40, 0.35): 2 h are needed; the unpublished night counts as dearer.
        var plan = Plan(22, Evening, publishedHours: 2);
        Assert.That(plan.Slots.Select(s => (s.Start.Hour, s.ImportPerKwh)), Is.EqualTo(new[] { (20, (double?)0.40), (21, (double?)0.35) }));
        Assert.That(plan.ChargeNow, Is.True);
    }

    [Test]
    public void Not_enough_time_left_charges_at_once_and_says_so()
    {
        var plan = Plan(200, Evening);
        Assert.That((plan.ChargeNow, plan.Why.Contains("not enough time left", StringComparison.Ordinal)), Is.EqualTo((true, true)), plan.Why);
    }

    [Test]
    public void A_plan_that_is_charged_or_past_its_deadline_does_nothing()
    {
        Assert.That(Plan(0, Evening).ChargeNow, Is.False);
        var late = EvPlanner.Plan(Morning.AddMinutes(1), Morning, 5000, 11_000, Prices(), TimeZoneInfo.Utc);
        Assert.That((late.ChargeNow, late.Why), Is.EqualTo((false, "the deadline 07:00 has passed with 5.0 kWh missing")));
    }

    [TestCase("2026-03-02T20:00:00Z", 7.0, "2026-03-03T07:00:00Z", TestName = "At 20:00, 07:00 is tomorrow's")]
    [TestCase("2026-03-02T05:00:00Z", 7.5, "2026-03-02T07:30:00Z", TestName = "At 05:00, 07:30 is today's")]
    [TestCase("2026-03-02T07:00:00Z", 7.0, "2026-03-03T07:00:00Z", TestName = "At 07:00, the next 07:00 is tomorrow's")]
    public void The_deadline_is_the_next_such_time_of_day(string now, double byHour, string expected) =>
        Assert.That(EvPlanner.NextDeadline(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), byHour, TimeZoneInfo.Utc),
            Is.EqualTo(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));

    [Test]
    public void The_deadline_is_in_the_sites_zone()
    {
        var warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
        // 20:00 UTC on 2 March is 21:00 in Warsaw; 07:00 there is 06:00 UTC the next day.
        Assert.That(EvPlanner.NextDeadline(Evening, 7, warsaw), Is.EqualTo(new DateTimeOffset(2026, 3, 3, 6, 0, 0, TimeSpan.Zero)));
    }
}
