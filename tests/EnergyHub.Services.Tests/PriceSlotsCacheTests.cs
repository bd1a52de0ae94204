using EnergyHub.Readings;
using EnergyHub.Services.BatteryScheduler;

namespace EnergyHub.Services.Tests;

/// <summary>The per-service cache of <see cref="PriceSlots.From"/>: the same slots as computing them afresh, at every tick.</summary>
public sealed class PriceSlotsCacheTests
{
    private static readonly DateTimeOffset T0 = new(2025, 11, 12, 0, 0, 0, TimeSpan.Zero);

    // Amber's shape: the current half hour as 5-minute intervals with their own prices, then 30-minute ones.
    private static PriceSeries Amber(DateTimeOffset from, double offset)
    {
        var intervals = new List<PriceInterval>();
        for (var i = 0; i < 6; i++)
        {
            intervals.Add(new PriceInterval(from.AddMinutes(5 * i), from.AddMinutes(5 * (i + 1)), 0.20 + 0.01 * i + offset, 0.05, false));
        }
        for (var i = 1; i < 48; i++)
        {
            intervals.Add(new PriceInterval(from.AddMinutes(30 * i), from.AddMinutes(30 * (i + 1)), 0.10 + 0.002 * i + offset, 0.04, true));
        }
        return new PriceSeries("AUD", intervals);
    }

    [Test]
    public void Every_ten_seconds_over_two_hours_the_cache_gives_what_a_fresh_computation_gives()
    {
        var cache = new PriceSlots.Cache();
        var series = Amber(T0, 0);
        var compared = 0;
        for (var now = T0; now < T0.AddHours(2); now += TimeSpan.FromSeconds(10))
        {
            if (now.Minute % 30 == 0 && now.Second == 0)
            {
                series = Amber(now, now.Minute / 100.0); // a new poll: a new series with other prices
            }
            var cached = cache.From(series, now);
            var fresh = PriceSlots.From(series, now);
            Assert.That(cached, Is.EqualTo(fresh), $"at {now:HH:mm:ss}");
            compared++;
        }
        Assert.That(compared, Is.EqualTo(720));
    }

    [Test]
    public void The_current_slot_keeps_its_elapsed_5_minute_prices_and_a_new_poll_replaces_them()
    {
        var cache = new PriceSlots.Cache();
        var series = Amber(T0, 0);
        var early = cache.From(series, T0.AddMinutes(1));
        var late = cache.From(series, T0.AddMinutes(26));
        Assert.That(late, Has.Count.EqualTo(48), "the current half hour is still a whole slot after its first 5-minute prices have passed");
        Assert.That(late[0].ImportPerKwh, Is.EqualTo(early[0].ImportPerKwh).Within(1e-12));
        Assert.That(late[0].ImportPerKwh, Is.EqualTo(0.225).Within(1e-12), "the mean of 0.20 … 0.25");
        var repolled = cache.From(Amber(T0, 0.1), T0.AddMinutes(26));
        Assert.That(repolled[0].ImportPerKwh, Is.EqualTo(0.325).Within(1e-12));
    }

    [Test]
    public void The_same_series_asked_at_the_same_slot_is_not_computed_again()
    {
        var cache = new PriceSlots.Cache();
        var series = Amber(T0, 0);
        var a = cache.From(series, T0.AddMinutes(1));
        var b = cache.From(series, T0.AddMinutes(4));
        Assert.That(b, Is.SameAs(a));
    }

    [Test]
    public void A_new_poll_with_the_same_intervals_is_not_computed_again_and_one_with_a_changed_interval_is()
    {
        var cache = new PriceSlots.Cache();
        var a = cache.From(Amber(T0, 0), T0.AddMinutes(1));
        var again = cache.From(Amber(T0, 0), T0.AddMinutes(2));
        var changed = Amber(T0, 0);
        var intervals = changed.Intervals.ToList();
        intervals[^1] = intervals[^1] with { ImportPerKwh = 9 };
        var other = cache.From(changed with { Intervals = intervals }, T0.AddMinutes(3));

        Assert.That(again, Is.SameAs(a), "a copy of the same prices");
        Assert.That(other, Is.Not.SameAs(a));
        Assert.That(other[^1].ImportPerKwh, Is.EqualTo(9));
    }

    [Test]
    public void The_key_changes_with_new_prices_or_a_new_slot_not_with_a_new_copy_of_the_same_prices()
    {
        var cache = new PriceSlots.Cache();
        cache.From(Amber(T0, 0), T0.AddMinutes(1));
        var first = cache.Key;
        cache.From(Amber(T0, 0), T0.AddMinutes(2));
        var samePricesAgain = cache.Key;
        cache.From(Amber(T0, 0.05), T0.AddMinutes(3));
        var newPrices = cache.Key;
        cache.From(Amber(T0, 0.05), T0.AddMinutes(31));
        var nextSlot = cache.Key;

        Assert.That(samePricesAgain, Is.EqualTo(first), "a poll that brings the same prices does not re-plan");
        Assert.That(new[] { first, newPrices, nextSlot }, Is.Unique);
    }
}
