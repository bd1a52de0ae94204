using EnergyHub.Devices;
using EnergyHub.Readings;
using EnergyHub.Site;
using EnergyHub.Time;
using EnergyHub.TestSupport;
using EnergyHub.Plugins.Simulator.Site;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.Simulator.Tests;

public sealed class SimulatedSiteTests
{
    // 2025-11-12 00:00 at the site (UTC+10).
    private static readonly DateTimeOffset Midnight = new(2025, 11, 11, 14, 0, 0, TimeSpan.Zero);

    [TestCase("2025-03-29T10:00:00Z", 1)]   // Warsaw on CET, the day before the clocks go forward
    [TestCase("2025-03-30T10:00:00Z", 2)]   // the 23-hour day: CEST from 02:00
    [TestCase("2025-10-26T10:00:00Z", 1)]   // the 25-hour day: back to CET from 03:00
    public void The_site_follows_its_zone_through_daylight_saving(string instant, double offsetThen)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        var warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
        SimulatedSite Site(double? fixedHours, TimeZoneInfo? zone) =>
            new(new SiteOptions { Driver = "sim-site", UtcOffsetHours = fixedHours, BatteryCapacityWh = 0, EvCapacityWh = 0 }, at.AddHours(-1), siteZone: zone);

        var zoned = Site(null, warsaw);
        var right = Site(offsetThen, null);
        var wrong = Site(offsetThen == 1 ? 2 : 1, null);

        Assert.That(zoned.Local(at).Offset, Is.EqualTo(TimeSpan.FromHours(offsetThen)));
        Assert.That(zoned.Observe(at).PvAvailableW, Is.EqualTo(right.Observe(at).PvAvailableW), "PV at the local hour of that day");
        Assert.That(zoned.Observe(at).PvAvailableW, Is.Not.EqualTo(wrong.Observe(at).PvAvailableW), "an hour off would show");
        Assert.That(Site(null, null).Local(at).Offset, Is.EqualTo(TimeSpan.FromHours(10)), "without a zone: the recorded data's UTC+10");
    }

    [Test]
    public void Energy_balances_at_every_step_and_soc_stays_within_limits()
    {
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", BatteryMinSocPct = 20, BatteryMaxSocPct = 90, RelayLoadW = 3000 }, Midnight);
        var steps = 0;
        var worst = 0.0;
        site.Stepped = (s, _) =>
        {
            steps++;
            var supplied = s.PvW + Math.Max(0, s.GridW) + Math.Max(0, -s.BatteryW);
            var used = s.LoadW + Math.Max(0, -s.GridW) + Math.Max(0, s.BatteryW);
            worst = Math.Max(worst, Math.Abs(supplied - used));
            Assert.That(s.BatterySocPct, Is.InRange(20 - 1e-9, 90 + 1e-9));
        };
        site.SetWallboxCurrent(Midnight.AddHours(11), 10);
        site.SetRelay(Midnight.AddHours(18), true);

        site.Observe(Midnight.AddDays(1));

        Assert.That(steps, Is.EqualTo(86_400));
        Assert.That(worst, Is.LessThan(1e-6), "PV + import + discharge = load + export + charge, in W, every step");
        var c = site.Counters;
        Assert.That(c.PvWh + c.ImportWh + c.BatteryDischargeWh, Is.EqualTo(c.LoadWh + c.ExportWh + c.BatteryChargeWh).Within(1e-3));
        Assert.That(c.PvWh / 1000, Is.EqualTo(36.3).Within(0.5), "7 kWp over the real summer profile");
        Assert.That(c.BatteryLossWh, Is.GreaterThan(0));
    }

    [Test]
    public void A_zero_percent_limit_stops_pv_within_the_response_delay_and_ramp()
    {
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", InverterResponseDelay = TimeSpan.FromSeconds(2), InverterRampPctPerSecond = 20 }, Midnight);
        var noon = Midnight.AddHours(12);
        var before = site.Observe(noon);
        Assert.That(before.PvW, Is.GreaterThan(3000));

        site.SetActivePowerLimit(noon, 0);
        var duringDelay = site.Observe(noon.AddSeconds(2));
        var done = site.Observe(noon.AddSeconds(2 + 5));

        Assert.That(duringDelay.ActivePowerLimitPct, Is.EqualTo(100), "nothing changes during the response delay");
        Assert.That(done.ActivePowerLimitPct, Is.Zero, "100 % at 20 %/s takes 5 s");
        Assert.That(done.PvW, Is.Zero);
        Assert.That(done.CurtailedW, Is.EqualTo(done.PvAvailableW).Within(1e-9));
    }

    [Test]
    public void An_export_limit_of_zero_keeps_the_grid_from_exporting()
    {
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", BatteryCapacityWh = 0 }, Midnight);
        var noon = Midnight.AddHours(12);
        Assert.That(site.Observe(noon).GridW, Is.LessThan(-1000), "without a limit the midday surplus is exported");

        site.SetExportLimit(noon, 0);
        var capped = site.Observe(noon.AddMinutes(10));

        Assert.That(capped.GridW, Is.GreaterThanOrEqualTo(-1e-9));
        Assert.That(capped.CurtailedW, Is.GreaterThan(1000));
    }

    [Test]
    public void Readings_are_as_late_as_the_measurement_delay()
    {
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", MeasurementDelay = TimeSpan.FromSeconds(5) }, Midnight);
        var noon = Midnight.AddHours(12);
        site.Observe(noon);
        site.SetWallboxCurrent(noon, 16);

        Assert.That(site.Observe(noon.AddSeconds(4)).EvW, Is.Zero, "the meter has not seen the EV start yet");
        Assert.That(site.Observe(noon.AddSeconds(6)).EvW, Is.EqualTo(16 * 3 * 230));
        Assert.That(site.Observe(noon.AddSeconds(6)).Time, Is.EqualTo(noon.AddSeconds(1)));
    }

    [Test]
    public void The_wallbox_charges_6_to_16_amps_on_its_phases()
    {
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", WallboxPhases = 3 }, Midnight);
        site.SetWallboxCurrent(Midnight, 6);
        Assert.That(site.Observe(Midnight.AddMinutes(1)).EvW, Is.EqualTo(6 * 3 * 230));
        site.SetWallboxCurrent(Midnight.AddMinutes(1), 40);
        Assert.That(site.Observe(Midnight.AddMinutes(2)).EvW, Is.EqualTo(16 * 3 * 230));
        site.SetWallboxCurrent(Midnight.AddMinutes(2), 5);
        Assert.That(site.Observe(Midnight.AddMinutes(3)).EvW, Is.Zero, "below 6 A the wallbox stops");
    }

    [Test]
    public void The_recorded_price_day_has_a_negative_feed_in_window_around_midday()
    {
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", PriceSnapshot = "scenario5" }, Midnight);
        Assert.That(site.PriceAt(Midnight.AddHours(12)).FeedIn, Is.LessThan(0));
        Assert.That(site.PriceAt(Midnight.AddHours(20)).FeedIn, Is.GreaterThanOrEqualTo(0));
        Assert.That(site.PriceAt(Midnight.AddHours(20)).Import, Is.GreaterThan(0));
    }

    // A site 'site' at noon on a manual clock, and the contexts its devices are built with (they share the site).
    private static (ManualTimeProvider Time, Func<string, DeviceContext> Context) Noon(SiteOptions site)
    {
        var time = new ManualTimeProvider(Midnight.AddHours(12));
        var shared = new SharedResources();
        DeviceContext Context(string id) => new(id, NullLogger.Instance, time, Path.GetTempPath(), new NoServices()) { Shared = shared };
        SimSiteDevice.Create(site, Context("site"));
        return (time, Context);
    }

    [Test]
    public async Task The_battery_holds_charges_from_the_grid_to_its_target_discharges_and_reads_its_mode_back()
    {
        var (time, Context) = Noon(new SiteOptions { Driver = "sim-site", BatteryInitialSocPct = 50, BatteryMaxChargeW = 5000 });
        var battery = new SimBattery("battery", new SimDeviceOptions { Driver = "x", Site = "site" }, Context("battery"));
        async Task<BatteryReading> After(TimeSpan span)
        {
            time.Advance(span);
            return (await battery.ReadAsync(CancellationToken.None)).Battery!;
        }

        await battery.SetBatteryModeAsync(BatteryMode.Hold, 0, null, CancellationToken.None);
        var held = await After(TimeSpan.FromMinutes(5));
        await battery.SetBatteryModeAsync(BatteryMode.Hold, null, null, CancellationToken.None);
        var storing = await After(TimeSpan.FromMinutes(5));
        await battery.SetBatteryModeAsync(BatteryMode.Hold, 0, null, CancellationToken.None); // nothing stored all afternoon
        time.Advance(TimeSpan.FromHours(13.5)); // 01:40 the next night: no PV
        await battery.SetBatteryModeAsync(BatteryMode.Hold, null, null, CancellationToken.None);
        var heldAtNight = await After(TimeSpan.FromMinutes(20));
        time.Advance(TimeSpan.FromMinutes(5)); // 02:05
        await battery.SetBatteryModeAsync(BatteryMode.ChargeFromGrid, 3000, 60, CancellationToken.None);
        var charging = await After(TimeSpan.FromMinutes(1));
        var full = await After(TimeSpan.FromHours(2));
        await battery.SetBatteryModeAsync(BatteryMode.Discharge, 2000, null, CancellationToken.None);
        var discharging = await After(TimeSpan.FromMinutes(1));
        await battery.EnterSafeStateAsync(CancellationToken.None);
        var auto = await After(TimeSpan.FromMinutes(1));

        Assert.That((held.PowerW, held.SocPct, held.Mode), Is.EqualTo((0.0, 50.0, (BatteryMode?)BatteryMode.Hold)), "held at 0 W through the midday surplus");
        Assert.That((storing.PowerW > 1000, storing.SocPct > held.SocPct, storing.Mode), Is.EqualTo((true, true, (BatteryMode?)BatteryMode.Hold)),
            "held without a power: the midday surplus is still stored");
        Assert.That(heldAtNight.PowerW, Is.Zero, "and at night nothing is discharged");
        Assert.That((charging.PowerW, charging.Mode), Is.EqualTo((3000.0, (BatteryMode?)BatteryMode.ChargeFromGrid)));
        Assert.That(full.SocPct, Is.EqualTo(60).Within(0.5), "grid charging stops at the target");
        Assert.That(discharging.PowerW, Is.EqualTo(-2000));
        Assert.That(auto.Mode, Is.EqualTo(BatteryMode.Auto), "the safe state is self-consumption");
        Assert.That(auto.PowerW, Is.LessThan(0), "at night it covers the house");
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => battery.SetBatteryModeAsync(BatteryMode.ChargeFromGrid, 1000, 120, CancellationToken.None));
    }

    [Test]
    public async Task Devices_share_the_site_and_report_in_sdk_signs()
    {
        var (time, Context) = Noon(new SiteOptions { Driver = "sim-site", BatteryInitialSocPct = 50 });
        var options = new SimDeviceOptions { Driver = "x", Site = "site" };
        var inverter = new SimInverter("inverter", options, Context("inverter"));
        var grid = new SimGridMeter("grid", options, Context("grid"));
        var battery = new SimBattery("battery", options, Context("battery"));
        var prices = new SimPrices("prices", options, Context("prices"));

        time.Advance(TimeSpan.FromMinutes(1));
        var pv = (await inverter.ReadAsync(CancellationToken.None)).Inverter!;
        var meter = (await grid.ReadAsync(CancellationToken.None)).Meter!;
        var bat = (await battery.ReadAsync(CancellationToken.None)).Battery!;
        var series = (await prices.ReadAsync(CancellationToken.None)).Prices!;

        Assert.That(pv.AcPowerW, Is.GreaterThan(3000), "PV is positive");
        Assert.That(bat.PowerW, Is.GreaterThan(0), "the midday surplus charges the battery: + charging");
        Assert.That(meter.PowerW, Is.LessThanOrEqualTo(0), "surplus beyond the battery is exported: − export");
        Assert.That(series.Intervals, Has.Count.EqualTo(48));
        Assert.That(series.At(time.GetUtcNow())!.FeedInPerKwh, Is.LessThan(0));
        Assert.That(series.Intervals[0].IsForecast, Is.False);
    }

    [Test]
    public async Task The_wallbox_is_an_ev_charger_that_takes_a_current_and_switches_phases_pausing_the_car_and_the_relay_is_a_switch()
    {
        var (time, Context) = Noon(new SiteOptions { Driver = "sim-site", WallboxPhases = 3 });
        var options = new SimDeviceOptions { Driver = "x", Site = "site" };
        var wallbox = new SimWallbox("ev", options, Context("ev"));
        var relay = new SimRelay("heater", options, Context("heater"));

        await wallbox.SetChargeCurrentAsync(10, CancellationToken.None);
        await relay.SetSwitchAsync(true, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        var charger = (await wallbox.ReadAsync(CancellationToken.None)).Charger!;
        var heater = (await relay.ReadAsync(CancellationToken.None)).Consumer!;
        var facts = DeviceFacts.Of(wallbox, confirmed: true);

        Assert.That((charger.Car, charger.CurrentA, charger.Phases), Is.EqualTo((EvCarState.Charging, 10.0, 3)));
        Assert.That(charger.PowerW, Is.EqualTo(10 * 3 * 230).Within(1));
        Assert.That(heater.IsOn, Is.True);
        Assert.That(facts.Charger, Is.EqualTo(new EvChargerLimits(6, 16, 3)));
        Assert.That((facts.Has<ICurrentLimiter>(), facts.Has<IPhaseSwitcher>()), Is.EqualTo((true, true)));
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => wallbox.SetChargeCurrentAsync(3, CancellationToken.None));
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => wallbox.SetPhasesAsync(2, CancellationToken.None));

        await wallbox.SetPhasesAsync(1, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        var paused = (await wallbox.ReadAsync(CancellationToken.None)).Charger!;
        await wallbox.SetChargeCurrentAsync(10, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        var onOnePhase = (await wallbox.ReadAsync(CancellationToken.None)).Charger!;
        Assert.That((paused.Car, paused.Phases, paused.PowerW), Is.EqualTo((EvCarState.Connected, 1, 0.0)), "a phase switch pauses the car, as a go-e's does");
        Assert.That(onOnePhase.PowerW, Is.EqualTo(10 * 230).Within(1));
    }
}
