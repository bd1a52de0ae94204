using EnergyHub.Services.SurplusDistributor;

namespace EnergyHub.Services.Tests;

/// <summary>Runtime and energy per consumer: counted from samples, rolled over at local midnight, kept as JSON.</summary>
public sealed class ConsumerStatisticsTests
{
    // UTC+10 without daylight saving, as Brisbane: local midnight is 14:00 UTC.
    private static readonly TimeZoneInfo Brisbane = TimeZoneInfo.CreateCustomTimeZone("test+10", TimeSpan.FromHours(10), "UTC+10", "UTC+10");
    private static readonly DateTimeOffset Noon = new(2026, 6, 1, 2, 0, 0, TimeSpan.Zero); // 12:00 local

    private static void Run(ConsumerStatisticsBook book, DateTimeOffset from, TimeSpan length, double watts)
    {
        for (var at = from; at <= from + length; at += TimeSpan.FromMinutes(1))
        {
            book.Add("heater", at, watts);
        }
    }

    [Test]
    public void An_hour_at_two_kilowatts_is_two_kilowatt_hours_and_an_hour_of_runtime_and_a_gap_is_not_counted()
    {
        var book = new ConsumerStatisticsBook(Brisbane, TimeSpan.FromMinutes(2));
        Run(book, Noon, TimeSpan.FromHours(1), 2000);
        book.Add("heater", Noon.AddHours(3), 2000); // two hours without a sample
        Run(book, Noon.AddHours(3), TimeSpan.FromMinutes(30), 0);

        var stats = book.All["heater"];
        Assert.That((stats.EnergyTodayWh, stats.RuntimeTodayS, stats.EnergyTotalWh), Is.EqualTo((2000.0, 3600.0, 2000.0)).Using<(double, double, double)>((a, b) =>
            Math.Abs(a.Item1 - b.Item1) < 1e-6 && Math.Abs(a.Item2 - b.Item2) < 1e-6 && Math.Abs(a.Item3 - b.Item3) < 1e-6 ? 0 : 1));
    }

    [Test]
    public void The_day_rolls_over_at_local_midnight_not_utc_midnight()
    {
        var book = new ConsumerStatisticsBook(Brisbane, TimeSpan.FromMinutes(2));
        Run(book, Noon, TimeSpan.FromHours(1), 1000);
        var beforeUtcMidnight = Noon.AddHours(11.5); // 23:30 local, 13:30 UTC
        Run(book, beforeUtcMidnight, TimeSpan.FromMinutes(20), 0);
        Assert.That(book.All["heater"].EnergyTodayWh, Is.EqualTo(1000).Within(1e-6), "still the same local day");

        book.Add("heater", Noon.AddHours(12).AddMinutes(1), 0); // 00:01 local: a new day
        var next = book.All["heater"];
        Assert.That((next.EnergyTodayWh, next.EnergyYesterdayWh, next.RuntimeYesterdayS), Is.EqualTo((0.0, 1000.0, 3600.0)).Using<(double, double, double)>((a, b) =>
            Math.Abs(a.Item1 - b.Item1) < 1e-6 && Math.Abs(a.Item2 - b.Item2) < 1e-6 && Math.Abs(a.Item3 - b.Item3) < 1e-6 ? 0 : 1));

        book.Add("heater", Noon.AddDays(3), 0); // days later: yesterday was nothing
        Assert.That((book.All["heater"].EnergyYesterdayWh, book.All["heater"].EnergyTotalWh), Is.EqualTo((0.0, 1000.0)).Using<(double, double)>((a, b) =>
            Math.Abs(a.Item1 - b.Item1) < 1e-6 && Math.Abs(a.Item2 - b.Item2) < 1e-6 ? 0 : 1));
    }

    [Test]
    public void A_kept_state_goes_on_after_a_restart_and_rolls_over_if_the_day_passed_meanwhile()
    {
        var book = new ConsumerStatisticsBook(Brisbane, TimeSpan.FromMinutes(2));
        Run(book, Noon, TimeSpan.FromHours(1), 1000);
        var kept = book.Save();

        var sameDay = new ConsumerStatisticsBook(Brisbane, TimeSpan.FromMinutes(2));
        sameDay.Restore(kept);
        Run(sameDay, Noon.AddHours(2), TimeSpan.FromHours(1), 1000);
        Assert.That(sameDay.All["heater"].EnergyTodayWh, Is.EqualTo(2000).Within(1e-6), "the time it was stopped is not counted");

        var nextDay = new ConsumerStatisticsBook(Brisbane, TimeSpan.FromMinutes(2));
        nextDay.Restore(kept);
        nextDay.Add("heater", Noon.AddDays(1), 0);
        Assert.That((nextDay.All["heater"].EnergyTodayWh, nextDay.All["heater"].EnergyYesterdayWh), Is.EqualTo((0.0, 1000.0)).Using<(double, double)>((a, b) =>
            Math.Abs(a.Item1 - b.Item1) < 1e-6 && Math.Abs(a.Item2 - b.Item2) < 1e-6 ? 0 : 1));
        Assert.That(() => nextDay.Restore("not json"), Throws.InstanceOf<System.Text.Json.JsonException>());
    }
}
