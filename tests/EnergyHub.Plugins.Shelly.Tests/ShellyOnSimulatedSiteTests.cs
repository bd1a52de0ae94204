using EnergyHub.Plugins.Simulator.Emulators;
using EnergyHub.Plugins.Simulator.Site;
using EnergyHub.TestSupport;
using EnergyHub.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.Shelly.Tests;

/// <summary>The Shelly emulator on a simulated site: a Pro 3EM on its grid connection, a Plus 1PM switching its relay load.</summary>
public sealed class ShellyOnSimulatedSiteTests
{
    [Test]
    public async Task The_grid_meter_reads_the_sites_grid_and_the_plug_switches_its_load_which_the_grid_meter_then_sees()
    {
        // Night: no PV, an empty battery, so the relay load goes straight to the grid.
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 6, 1, 14, 0, 0, TimeSpan.Zero));
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", BatteryCapacityWh = 0, RelayLoadW = 2000, UtcOffsetHours = 10 }, time.GetUtcNow());
        await using var meterEmulator = new ShellyEmulator(ShellyModel.Pro3Em, time, site: site);
        await using var plugEmulator = new ShellyEmulator(ShellyModel.Plus1Pm, time, site: site);
        meterEmulator.Start(0);
        plugEmulator.Start(0);
        var context = new DeviceContext("shelly", NullLogger.Instance, time, Path.GetTempPath(), new NoServices());
        var grid = new ShellyDevice(new ShellyOptions { Driver = "shelly", Host = $"127.0.0.1:{meterEmulator.Port}" }, context);
        var heater = new ShellyDevice(new ShellyOptions { Driver = "shelly", Host = $"127.0.0.1:{plugEmulator.Port}", Role = ShellyRole.Consumer }, context);

        await heater.SetSwitchAsync(false, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));
        var gridOff = (await grid.ReadAsync(CancellationToken.None)).Meter!.PowerW;
        var siteOff = site.Current.GridW;
        await heater.SetSwitchAsync(true, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));
        var gridOn = (await grid.ReadAsync(CancellationToken.None)).Meter!.PowerW;
        var siteOn = site.Current.GridW;
        var heaterOn = (await heater.ReadAsync(CancellationToken.None)).Meter!.PowerW;

        Assert.Multiple(() =>
        {
            Assert.That(gridOff, Is.EqualTo(siteOff).Within(0.01), "the meter shows the site's grid");
            Assert.That(gridOn, Is.EqualTo(siteOn).Within(0.01));
            Assert.That(site.RelayOn, Is.True, "the plug is the site's relay");
            Assert.That(heaterOn, Is.EqualTo(2000));
            Assert.That(gridOn - gridOff, Is.EqualTo(2000).Within(100), "the heater's power reaches the grid (the house load moves a little in 5 s)");
        });
    }
}
