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
}
