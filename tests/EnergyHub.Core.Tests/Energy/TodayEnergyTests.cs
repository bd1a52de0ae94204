using EnergyHub.Core.Devices;
using EnergyHub.Core.Energy;
using EnergyHub.Core.Tests.Support;
using EnergyHub.Core.Time;
using EnergyHub.Readings;
using EnergyHub.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests.Energy;

/// <summary>Today's energy and money: the flows split by sign, held from reading to reading, reset at local midnight, kept across a restart.</summary>
public sealed class TodayEnergyTests
{
    [Test]
    public void An_hour_of_export_while_the_battery_charges_splits_into_its_flows_and_money()
    {
        var today = new TodayEnergy(new DateOnly(2026, 6, 1)).Add(1, gridW: -2000, pvW: 5000, batteryW: 1000, loadW: 2000, evW: 0, importPerKwh: 0.30, feedInPerKwh: -0.05, "AUD");

        Assert.That((today.PvKwh, today.ExportKwh, today.SelfConsumedKwh, today.BatteryInKwh, today.LoadKwh), Is.EqualTo((5.0, 2.0, 3.0, 1.0, 2.0)));
        Assert.That((today.ImportCost, today.FeedInRevenue, today.NetCost), Is.EqualTo((0.0, -0.1, 0.1)).Within(1e-12), "exporting at a negative price costs");
        Assert.That(today.SelfSufficiencyPct, Is.EqualTo(100));
    }

    [Test]
    public void Without_EnergyHub_the_PV_it_curtailed_would_have_been_exported_at_the_negative_price_and_the_saving_says_so()
    {
        // An hour of 3 kW PV available, 1 kW house, no battery, feed-in −0.05: EnergyHub curtailed the 2 kW it could not use.
        var today = new TodayEnergy(new DateOnly(2026, 6, 1))
            .Add(1, gridW: 0, pvW: 1000, batteryW: null, loadW: 1000, evW: 0, importPerKwh: 0.30, feedInPerKwh: -0.05, "AUD")
            .WithoutEnergyHub(1, loadW: 1000, pvAvailableW: 3000, importPerKwh: 0.30, feedInPerKwh: -0.05, battery: null);

        Assert.That((today.NetCost, today.WithoutCost, today.Saved), Is.EqualTo((0.0, 0.1, 0.1)).Within(1e-12), "2 kWh exported at −0.05 would have cost 0.10");
    }

    [TestCase(-2000, 50, 68.97, 0.0, TestName = "A 2 kW surplus for an hour goes into the battery's own self-consumption: 1.9 kWh stored, nothing settled")]
    [TestCase(1000, 50, 39.46, 0.0, TestName = "A 1 kW deficit comes out of it: 1.05 kWh taken")]
    [TestCase(1000, 10, 10.0, 0.30, TestName = "At its minimum the deficit is bought")]
    [TestCase(-2000, 100, 100.0, -0.10, TestName = "Full, the surplus is exported (and earns)")]
    public void Without_EnergyHub_the_battery_runs_its_own_self_consumption(double netW, double socPct, double socAfterPct, double cost)
    {
        var battery = new SelfConsumingBattery(CapacityWh: 10_000, MaxChargeW: 5000, MaxDischargeW: 5000, EfficiencyPct: 90, MinSocPct: 10, MaxSocPct: 100, socPct);
        var today = new TodayEnergy(new DateOnly(2026, 6, 1))
            .WithoutEnergyHub(1, loadW: 1000, pvAvailableW: 1000 - netW, importPerKwh: 0.30, feedInPerKwh: 0.05, battery);

        Assert.That(today.WithoutSocPct, Is.EqualTo(socAfterPct).Within(0.01));
        Assert.That(today.WithoutCost, Is.EqualTo(cost).Within(1e-9));
        var next = today.WithoutEnergyHub(1, loadW: 1000, pvAvailableW: 1000, importPerKwh: 0.30, feedInPerKwh: 0.05, battery with { SocPct = 0 });
        Assert.That(next.WithoutSocPct, Is.EqualTo(today.WithoutSocPct), "later hours go on from its own state of charge, not the real battery's");
    }

    [Test]
    public void Grid_import_counts_towards_the_EV_first()
    {
        var today = new TodayEnergy(new DateOnly(2026, 6, 1)).Add(0.5, gridW: 1000, pvW: 2500, batteryW: 0, loadW: 3500, evW: 3000, importPerKwh: 0.30, feedInPerKwh: 0.05, "EUR");

        Assert.That((today.EvKwh, today.EvFromPvKwh, today.EvFromGridKwh), Is.EqualTo((1.5, 1.0, 0.5)));
        Assert.That(today.ImportCost, Is.EqualTo(0.15).Within(1e-12));
        Assert.That(today.SelfSufficiencyPct, Is.EqualTo(100 * (1 - 0.5 / 1.75)).Within(1e-9));
    }

    [Test]
    public void The_meter_holds_each_reading_until_the_next_starts_over_at_local_midnight_and_goes_on_after_a_restart()
    {
        // 23:00 in Brisbane (UTC+10, no daylight saving).
        var manual = new ManualTimeProvider(new DateTimeOffset(2026, 6, 1, 13, 0, 0, TimeSpan.Zero));
        var time = new ZonedTimeProvider(manual, TimeZoneInfo.FindSystemTimeZoneById("Australia/Brisbane"));
        var grid = new FakeMeter("grid", manual);
        var store = new MemoryStateStore();
        var site = new SiteState(new DeviceRegistry([Sessions.Of(grid, manual)]), time);
        void Import(double watts) => site.RecordSuccess("grid", new DeviceReading { Timestamp = time.GetUtcNow(), Meter = new MeterReading(watts) });

        var meter = new TodayEnergyMeter(site, time, store, NullLogger<TodayEnergyMeter>.Instance);
        Import(1200);
        for (var minute = 0; minute < 30; minute++)
        {
            manual.Advance(TimeSpan.FromMinutes(1));
            Import(1200);                                 // 30 min at 1200 W: 0.6 kWh
        }
        manual.Advance(TimeSpan.FromMinutes(10));
        Import(1200);                                     // a gap longer than MaxGap counts as nothing
        var evening = meter.Today;
        meter.Dispose();

        var restarted = new TodayEnergyMeter(site, time, store, NullLogger<TodayEnergyMeter>.Instance);
        var kept = restarted.Today;
        manual.Advance(TimeSpan.FromMinutes(21));         // 00:01 the next day
        Import(500);
        var afterMidnight = restarted.Today;

        Assert.That(evening.ImportKwh, Is.EqualTo(0.6).Within(1e-9));
        Assert.That(kept, Is.EqualTo(evening), "a restart goes on from what was kept");
        Assert.That((afterMidnight.Day, afterMidnight.ImportKwh), Is.EqualTo((new DateOnly(2026, 6, 2), 0.0)), "a new local day starts from zero");
    }

    [Test]
    public void A_clock_that_starts_earlier_the_same_day_than_the_counts_kept_starts_the_day_afresh()
    {
        // The demo restarted: its clock starts again at 09:00 while the journal counted until 10:00.
        var manual = new ManualTimeProvider(new DateTimeOffset(2025, 11, 11, 23, 0, 0, TimeSpan.Zero)); // 09:00 in Brisbane
        var time = new ZonedTimeProvider(manual, TimeZoneInfo.FindSystemTimeZoneById("Australia/Brisbane"));
        var grid = new FakeMeter("grid", manual);
        var store = new MemoryStateStore();
        var site = new SiteState(new DeviceRegistry([Sessions.Of(grid, manual)]), time);
        void Import(double watts) => site.RecordSuccess("grid", new DeviceReading { Timestamp = time.GetUtcNow(), Meter = new MeterReading(watts) });
        var first = new TodayEnergyMeter(site, time, store, NullLogger<TodayEnergyMeter>.Instance);
        for (var minute = 0; minute <= 60; minute++)
        {
            Import(1000);
            manual.Advance(TimeSpan.FromMinutes(1));
        }
        var counted = first.Today;
        first.Dispose();

        var rewound = new ManualTimeProvider(new DateTimeOffset(2025, 11, 11, 23, 0, 0, TimeSpan.Zero));
        var again = new TodayEnergyMeter(site, new ZonedTimeProvider(rewound, time.LocalTimeZone), store, NullLogger<TodayEnergyMeter>.Instance);

        Assert.That(counted.ImportKwh, Is.EqualTo(1.0).Within(1e-9));
        Assert.That(again.Today.ImportKwh, Is.Zero, "09:00 cannot have an hour of 09:00–10:00 behind it");
    }

    private sealed class MemoryStateStore : EnergyHub.Services.IServiceStateStore
    {
        private readonly Dictionary<(string, string), string> _kept = [];
        public string? Load(string service, string key) => _kept.GetValueOrDefault((service, key));
        public void Save(string service, string key, string json) => _kept[(service, key)] = json;
    }
}
