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

    [Test]
    public void Without_a_battery_it_curtails_instead_of_paying_to_export()
    {
        var buckets = new[] { Bucket(0, pvW: 4000, loadW: 1000, import: 0.3, feedIn: -0.1), Bucket(1, 0, 1000, 0.3, 0.05) };
        // Bucket 0: 3 kW surplus at a negative price is curtailed (cost 0); bucket 1: 0.25 kWh at 0.3.
        Assert.That(Oracle.MinimumNetCost(buckets, null), Is.EqualTo(0.075).Within(1e-9));
    }

    [Test]
    public void With_a_battery_it_stores_cheap_energy_for_the_expensive_hour()
    {
        var buckets = new[] { Bucket(0, 0, 0, import: 0.0, feedIn: 0), Bucket(1, 0, 4000, import: 1.0, feedIn: 0) };
        var battery = new OracleBattery(CapacityWh: 2000, MaxChargeW: 8000, MaxDischargeW: 8000, EfficiencyPct: 100, MinSocPct: 0, MaxSocPct: 100, StartSocPct: 0);
        // Charge 1 kWh for free, cover bucket 1's 1 kWh load from it; but it must end no lower than it started (0 %): fine.
        Assert.That(Oracle.MinimumNetCost(buckets, battery), Is.EqualTo(0).Within(1e-9));
        Assert.That(Oracle.MinimumNetCost(buckets, null), Is.EqualTo(1.0).Within(1e-9));
    }
}
