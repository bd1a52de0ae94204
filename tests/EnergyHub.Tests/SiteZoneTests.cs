using EnergyHub.Core.Config;
using EnergyHub.Core.Time;
using EnergyHub.Time;

namespace EnergyHub.Tests;

/// <summary>
/// One clock for every composition root: `run` and `simulate` both read a time of day in the config in
/// <c>[Common] TimeZone</c> (else this machine's zone), never in UTC because the clock happens to be a manual one.
/// </summary>
public sealed class SiteZoneTests
{
    [Test]
    public void The_sites_clock_speaks_the_configured_zone_or_the_machines_and_never_wraps_twice()
    {
        var manual = new ManualTimeProvider(new DateTimeOffset(2025, 11, 11, 0, 0, 0, TimeSpan.Zero));
        var warsaw = ZonedTimeProvider.For(new CommonOptions { TimeZone = "Europe/Warsaw" }, manual);
        Assert.That(warsaw.LocalTimeZone.Id, Is.EqualTo("Europe/Warsaw"));
        Assert.That(ZonedTimeProvider.For(new CommonOptions(), manual).LocalTimeZone, Is.EqualTo(TimeZoneInfo.Local), "no TimeZone: the machine's, as TimeProvider.System has it");
        Assert.That(((ZonedTimeProvider)ZonedTimeProvider.For(new CommonOptions { TimeZone = "Asia/Tokyo" }, warsaw)).Inner, Is.SameAs(manual));
    }

    [Test]
    public async Task Simulate_meets_a_TargetSocAt_at_the_sites_local_time_not_at_utc()
    {
        // Warsaw, winter (UTC+1): the target 07:00 is 06:00 UTC. The only cheap hour is 07:00–08:00 local, after the
        // target: a planner reading 07:00 as UTC would wait for it and miss the target by an hour.
        var dir = Directory.CreateTempSubdirectory("energyhub-zone-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "prices.csv"), "local_time,import_per_kwh,feed_in_per_kwh\n00:00,1.00,0.05\n07:00,0.10,0.05\n08:00,1.00,0.05\n");
        var config = Path.Combine(dir, "zone-sim.ini");
        await File.WriteAllTextAsync(config, $"""
            [Common]
            DataDir = {dir}/data
            TimeZone = Europe/Warsaw
            [Journal]
            Enabled = false
            [Web]
            Enabled = false
            [Services]
            BatteryScheduler = true
            [Device:site]
            Driver = sim-site
            PvKwp = 0.01
            BatteryCapacityWh = 10000
            BatteryInitialSocPct = 20
            EvCapacityWh = 0
            PriceFile = prices.csv
            [Device:inverter]
            Driver = sim-inverter
            Site = site
            [Device:grid]
            Driver = sim-meter
            Site = site
            [Device:battery]
            Driver = sim-battery
            Site = site
            [Device:prices]
            Driver = sim-prices
            Site = site
            [BatteryScheduler]
            Battery = battery
            Prices = prices
            GridMeter = grid
            Inverter = inverter
            TargetSocAt = 07:00 90
            """);
        var csv = Path.Combine(dir, "run.csv");
        var (code, _, errors) = await EnergyHubCli.Run("simulate", "--config", config, "--from", "2025-11-10T23:00Z", "--to", "2025-11-11T08:00Z", "--csv", csv);
        Assert.That(code, Is.Zero, errors);
        var rows = (await File.ReadAllLinesAsync(csv)).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => double.Parse(f[5], System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(rows["2025-11-11T06:00:00Z"], Is.GreaterThanOrEqualTo(89), "90 % by 07:00 Warsaw time (06:00 UTC)");
    }
}
