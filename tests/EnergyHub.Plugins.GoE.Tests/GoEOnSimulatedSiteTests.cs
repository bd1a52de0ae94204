using EnergyHub.Plugins.Simulator.Emulators;
using EnergyHub.Plugins.Simulator.Site;
using EnergyHub.Readings;
using EnergyHub.TestSupport;
using EnergyHub.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.GoE.Tests;

/// <summary>The go-e emulator as a simulated site's wallbox: what the real driver sets is what the site's EV charges with.</summary>
public sealed class GoEOnSimulatedSiteTests
{
    [Test]
    public async Task Current_phases_and_force_off_set_through_the_driver_reach_the_sites_ev()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 6, 1, 2, 0, 0, TimeSpan.Zero));
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", WallboxPhases = 3, EvCapacityWh = 60_000, EvInitialSocPct = 40 }, time.GetUtcNow());
        await using var emulator = new GoEEmulator(v2: true, time, phaseRelay: true, site);
        emulator.Start(0);
        var wallbox = new GoEWallbox(new GoEOptions { Driver = "goe", Host = $"127.0.0.1:{emulator.Port}" },
            new DeviceContext("ev", NullLogger.Instance, time, Path.GetTempPath(), new NoServices()));

        async Task<EvChargerReading> After(Func<Task> act)
        {
            await act();
            time.Advance(TimeSpan.FromSeconds(10));
            return (await wallbox.ReadAsync(CancellationToken.None)).Charger!;
        }

        await wallbox.ReadAsync(CancellationToken.None);
        var three = await After(() => wallbox.SetChargeCurrentAsync(10, CancellationToken.None));
        var (threeCurrentA, threePhases) = (site.WallboxCurrentA, site.WallboxPhases);
        var one = await After(() => wallbox.SetPhasesAsync(1, CancellationToken.None));
        var onePhases = site.WallboxPhases;
        var off = await After(() => wallbox.SetSwitchAsync(false, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That((threeCurrentA, threePhases, three.PowerW), Is.EqualTo((10, 3, site.Options.WallboxPhases * 10 * 230.0)));
            Assert.That((onePhases, one.PowerW, one.Phases), Is.EqualTo((1, 10 * 230.0, 1)));
            Assert.That((site.WallboxCurrentA, off.PowerW, off.Car), Is.EqualTo((0, 0.0, EvCarState.Connected)));
            Assert.That(site.Counters.EvWh, Is.GreaterThan(0), "the site's EV took the energy");
        });
    }

    [Test]
    public async Task A_full_car_is_reported_complete()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 6, 1, 2, 0, 0, TimeSpan.Zero));
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", EvCapacityWh = 60_000, EvInitialSocPct = 100 }, time.GetUtcNow());
        await using var emulator = new GoEEmulator(v2: true, time, phaseRelay: true, site);
        emulator.Start(0);
        var wallbox = new GoEWallbox(new GoEOptions { Driver = "goe", Host = $"127.0.0.1:{emulator.Port}" },
            new DeviceContext("ev", NullLogger.Instance, time, Path.GetTempPath(), new NoServices()));

        var reading = (await wallbox.ReadAsync(CancellationToken.None)).Charger!;
        Assert.That((reading.Car, reading.StateCode, reading.PowerW), Is.EqualTo((EvCarState.Complete, (int?)4, 0.0)));
    }

    [Test]
    public async Task As_a_surplus_consumer_it_charges_with_the_whole_amps_an_allowance_buys_and_pauses_below_the_minimum()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 6, 1, 2, 0, 0, TimeSpan.Zero));
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", WallboxPhases = 3 }, time.GetUtcNow());
        await using var emulator = new GoEEmulator(v2: true, time, phaseRelay: true, site);
        emulator.Start(0);
        var wallbox = new GoEWallbox(new GoEOptions { Driver = "goe", Host = $"127.0.0.1:{emulator.Port}" },
            new DeviceContext("ev", NullLogger.Instance, time, Path.GetTempPath(), new NoServices()));
        await wallbox.ReadAsync(CancellationToken.None);

        Assert.That(wallbox.Profile, Is.EqualTo(new Devices.ConsumerProfile(16 * 690, 6 * 690, 690, 50)), "es-ESS's EV: 6 A minimum, 1 A steps, on 3 x 230 V");
        await wallbox.SetAllowanceAsync(5000, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(10));
        var charging = (await wallbox.ReadAsync(CancellationToken.None)).Consumer!;
        var current = site.WallboxCurrentA;
        await wallbox.SetAllowanceAsync(3000, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(10));
        var paused = (await wallbox.ReadAsync(CancellationToken.None)).Consumer!;

        Assert.That((current, charging.IsOn, charging.PowerW, charging.AllowanceW), Is.EqualTo((7, true, 7 * 690.0, (double?)5000)), "floor(5000 / 690) = 7 A");
        Assert.That((site.WallboxCurrentA, paused.IsOn, paused.PowerW), Is.EqualTo((0, false, 0.0)), "3000 W buys less than 6 A: paused");
    }
}
