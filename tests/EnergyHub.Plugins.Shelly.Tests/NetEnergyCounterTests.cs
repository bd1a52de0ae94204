namespace EnergyHub.Plugins.Shelly.Tests;

/// <summary>The net (saldated) import/export pair integrated from a signed power.</summary>
public sealed class NetEnergyCounterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_steady_power_counts_power_times_time_in_its_direction()
    {
        var counter = new NetEnergyCounter(TimeSpan.FromMinutes(30));
        counter.Add(T0, 1200);
        counter.Add(T0.AddMinutes(15), 1200);
        counter.Add(T0.AddMinutes(30), -400);
        counter.Add(T0.AddMinutes(45), -400);

        Assert.That(counter.ImportWh, Is.EqualTo(300 + 1200.0 / 2 * 0.25 * 0.75).Within(1e-9), "15 min at 1200 W, then the ramp down to the zero crossing");
        Assert.That(counter.ExportWh, Is.EqualTo(400.0 / 2 * 0.25 * 0.25 + 100).Within(1e-9), "the ramp past zero, then 15 min at 400 W");
    }

    [Test]
    public void One_phase_importing_while_another_exports_is_netted_as_the_utility_meter_counts()
    {
        // L1 +2000 W, L2 -2000 W: the per-phase counters of a 3EM would count 2 kWh each way in an hour; the meter, nothing.
        var counter = new NetEnergyCounter(TimeSpan.FromHours(2));
        counter.Add(T0, 2000 + -2000);
        counter.Add(T0.AddHours(1), 2000 + -2000);
        Assert.That((counter.ImportWh, counter.ExportWh), Is.EqualTo((0.0, 0.0)));
    }

    [Test]
    public void A_gap_longer_than_allowed_is_not_counted_rather_than_extrapolated()
    {
        var counter = new NetEnergyCounter(TimeSpan.FromSeconds(15));
        counter.Add(T0, 1000);
        counter.Add(T0.AddSeconds(10), 1000);
        var before = counter.ImportWh;
        counter.Add(T0.AddHours(3), 5000);   // offline for three hours
        Assert.That(counter.ImportWh, Is.EqualTo(before), "not 5000 W x 3 h");
        counter.Add(T0.AddHours(3).AddSeconds(9), 5000);
        Assert.That(counter.ImportWh - before, Is.EqualTo(5000 * 9 / 3600.0).Within(1e-9), "counting goes on after the gap");
    }

    [Test]
    public void Restored_counters_go_on_from_their_values_and_a_sample_out_of_order_is_ignored()
    {
        var counter = new NetEnergyCounter(TimeSpan.FromMinutes(1));
        counter.Add(T0, 3600);
        counter.Restore(100, 50);
        counter.Add(T0.AddSeconds(10), 3600);   // the first sample after a restore starts an interval
        counter.Add(T0.AddSeconds(20), 3600);
        counter.Add(T0.AddSeconds(15), -99999);
        Assert.That((counter.ImportWh, counter.ExportWh), Is.EqualTo((110.0, 50.0)));
    }
}
