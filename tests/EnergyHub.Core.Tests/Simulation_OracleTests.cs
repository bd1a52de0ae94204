using EnergyHub.Core.Simulation;

namespace EnergyHub.Core.Tests;

public sealed class OracleTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static OracleBucket Bucket(int i, double pvW, double loadW, double import, double feedIn)
    {
        var bucket = new OracleBucket(Start.AddMinutes(15 * i));
        bucket.Add(pvW, loadW, import, feedIn, 0.25);
        return bucket;
    }

    private static OracleBattery Battery(double startSocPct, double endSocPct, double efficiencyPct = 100) =>
        new(CapacityWh: 2000, MaxChargeW: 8000, MaxDischargeW: 8000, EfficiencyPct: efficiencyPct, MinSocPct: 0, MaxSocPct: 100, startSocPct, endSocPct);

    [Test]
    public void Without_a_battery_it_curtails_instead_of_paying_to_export()
    {
        var buckets = new[] { Bucket(0, pvW: 4000, loadW: 1000, import: 0.3, feedIn: -0.1), Bucket(1, 0, 1000, 0.3, 0.05) };
        // Bucket 0: 3 kW surplus at a negative price is curtailed (cost 0); bucket 1: 0.25 kWh at 0.3.
        Assert.That(Oracle.MinimumNetCost(buckets, null, [], out _), Is.EqualTo(0.075).Within(1e-9));
        // Without control the surplus is exported: 0.75 kWh at −0.1 costs 0.075 more.
        Assert.That(Oracle.NoControlNetCost(buckets), Is.EqualTo(0.15).Within(1e-9));
    }

    [Test]
    public void With_a_battery_it_stores_cheap_energy_for_the_expensive_hour()
    {
        var buckets = new[] { Bucket(0, 0, 0, import: 0.0, feedIn: 0), Bucket(1, 0, 4000, import: 1.0, feedIn: 0) };
        // Charge 1 kWh for free, cover bucket 1's 1 kWh load from it, ending where it started (0 %).
        Assert.That(Oracle.MinimumNetCost(buckets, Battery(0, 0), [], out _), Is.EqualTo(0).Within(1e-9));
        Assert.That(Oracle.MinimumNetCost(buckets, null, [], out _), Is.EqualTo(1.0).Within(1e-9));
    }

    [TestCase(0, 0, 0.0)]
    [TestCase(0, 25, 0.0)] // 0.5 kWh more at the end, charged at the free price
    [TestCase(50, 0, 0.0)] // 1 kWh stored at the start covers the load
    [TestCase(50, 50, 0.0)]
    [TestCase(100, 100, 1.0)] // full at both ends: the load is bought, as the battery has no free hour after it to refill
    public void It_ends_at_least_as_full_as_the_run_ended(double startPct, double endPct, double expected)
    {
        var buckets = new[] { Bucket(0, 0, 0, import: 0.0, feedIn: 0), Bucket(1, 0, 4000, import: 1.0, feedIn: 0) };
        Assert.That(Oracle.MinimumNetCost(buckets, Battery(startPct, endPct), [], out _), Is.EqualTo(expected).Within(1e-9));
    }

    [Test]
    public void Energy_owed_at_the_end_is_bought_at_the_cheapest_price_it_can_be()
    {
        // Ending at 50 % (1 kWh) from 0 %: charged in bucket 0 at 0.1, through 90 % round trip (√0.9 each way).
        var buckets = new[] { Bucket(0, 0, 0, import: 0.1, feedIn: 0), Bucket(1, 0, 0, import: 1.0, feedIn: 0) };
        Assert.That(Oracle.MinimumNetCost(buckets, Battery(0, 50, efficiencyPct: 90), [], out _), Is.EqualTo(0.1 / Math.Sqrt(0.9)).Within(1e-6));
    }

    [Test]
    public void A_consumer_gets_the_energy_it_drew_but_when_it_is_free()
    {
        // The EV drew 1 kWh at the expensive quarter hour; it was plugged in for both, so the oracle moves it to free PV.
        var buckets = new[] { Bucket(0, pvW: 4000, 0, import: 0.3, feedIn: -0.1), Bucket(1, 0, 0, import: 0.3, feedIn: 0.05) };
        buckets[0].AddConsumer("ev", 0, available: true, 0.25);
        buckets[1].AddConsumer("ev", 4000, available: true, 0.25);
        Assert.That(Oracle.MinimumNetCost(buckets, null, [new OracleConsumer("ev", 4000)], out _), Is.EqualTo(0).Within(1e-9));

        // Unplugged during the sunny quarter hour: it must be bought.
        var unplugged = new[] { Bucket(0, pvW: 4000, 0, import: 0.3, feedIn: -0.1), Bucket(1, 0, 0, import: 0.3, feedIn: 0.05) };
        unplugged[0].AddConsumer("ev", 0, available: false, 0.25);
        unplugged[1].AddConsumer("ev", 4000, available: true, 0.25);
        Assert.That(Oracle.MinimumNetCost(unplugged, null, [new OracleConsumer("ev", 4000)], out _), Is.EqualTo(0.3).Within(1e-9));
    }

    [Test]
    public void Its_schedule_is_the_solution_it_costed_bucket_by_bucket()
    {
        // Free PV in the first quarter hour fills the 2 kWh battery and runs the EV; in the second the battery covers the
        // house's 1 kWh and sells the other at 0.05.
        var buckets = new[] { Bucket(0, pvW: 16000, 0, import: 0.3, feedIn: -0.1), Bucket(1, 0, 4000, import: 1.0, feedIn: 0.05) };
        buckets[0].AddConsumer("ev", 0, available: true, 0.25);
        buckets[1].AddConsumer("ev", 4000, available: true, 0.25);
        var schedule = new List<OracleStep>();

        var cost = Oracle.MinimumNetCost(buckets, Battery(0, 0), [new OracleConsumer("ev", 4000)], out _, schedule: schedule);

        Assert.That(cost, Is.EqualTo(-0.05).Within(1e-9));
        Assert.That(schedule.Select(s => s.Start), Is.EqualTo(buckets.Select(b => b.Start)));
        Assert.That(schedule.Sum(s => s.GridW * 0.25 / 1000 * (s.GridW > 0 ? s.ImportPerKwh : s.FeedInPerKwh)), Is.EqualTo(cost!.Value).Within(1e-9),
            "its grid at its prices is what it costed");
        Assert.Multiple(() =>
        {
            Assert.That(schedule[0].ControlledW, Is.EqualTo(4000).Within(1e-6), "the EV's kWh moved to the free quarter hour");
            Assert.That(schedule[0].SocPct, Is.EqualTo(100).Within(1e-6), "the battery filled");
            Assert.That(schedule[0].PvW, Is.EqualTo(12000).Within(1e-6), "PV beyond the EV and the battery curtailed");
            Assert.That((schedule[1].GridW, schedule[1].SocPct), Is.EqualTo((-4000.0, 0.0)).Within(1e-6), "the house from the battery, the rest sold");
        });
        Assert.That(schedule[0].ToCsv(), Is.EqualTo("2026-01-01T00:00:00Z,12000,0,4000,100,0.3,-0.1"));
    }

    [Test]
    public void A_consumer_s_energy_stays_within_its_local_day()
    {
        // Free PV at 12:00 UTC on day one; the EV drew 1 kWh at 01:00 UTC on day two, which in Berlin (UTC+1) is still
        // day two. It cannot be moved back a day: bought at 0.30.
        var noon = new OracleBucket(Start.AddHours(12));
        noon.Add(4000, 0, 0.3, -0.1, 0.25);
        noon.AddConsumer("ev", 0, available: true, 0.25);
        var night = new OracleBucket(Start.AddHours(25));
        night.Add(0, 0, 0.3, 0.05, 0.25);
        night.AddConsumer("ev", 4000, available: true, 0.25);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        Assert.That(Oracle.MinimumNetCost([noon, night], null, [new OracleConsumer("ev", 4000)], out _, berlin), Is.EqualTo(0.3).Within(1e-9));

        // At 23:30 UTC on day one it is already day two in Berlin: a quarter hour of that day's cheap PV is there to use.
        var lateSun = new OracleBucket(Start.AddHours(23.5));
        lateSun.Add(4000, 0, 0.3, -0.1, 0.25);
        lateSun.AddConsumer("ev", 0, available: true, 0.25);
        Assert.That(Oracle.MinimumNetCost([lateSun, night], null, [new OracleConsumer("ev", 4000)], out _, berlin), Is.EqualTo(0).Within(1e-9));
    }
}
