using EnergyHub.Time;
using EnergyHub.TestSupport;
using EnergyHub.Plugins.AlphaEss;
using EnergyHub.Plugins.GoodWe;
using EnergyHub.Plugins.Simulator.Emulators;
using EnergyHub.Plugins.Simulator.Site;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.Simulator.Tests;

/// <summary>The real GoodWe and AlphaESS drivers against the emulators, which sit on the simulated site.</summary>
public sealed class InverterEmulatorTests
{
    private static readonly DateTimeOffset Noon = new(2025, 11, 12, 2, 0, 0, TimeSpan.Zero); // 12:00 at the site


    private static DeviceContext Context(string id, TimeProvider time) => new(id, NullLogger.Instance, time, Path.GetTempPath(), new NoServices());

    private static GoodWeInverter GoodWe(int port, TimeProvider time) =>
        new(new GoodWeOptions { Driver = "goodwe", Host = "127.0.0.1", Port = port, Model = GoodWeFamily.Dt, RatedPowerW = 6000 }, Context("roof", time));

    [Test]
    public async Task A_limit_written_through_the_goodwe_driver_reaches_the_simulated_inverter_and_pv_drops()
    {
        var time = new ManualTimeProvider(Noon);
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", InverterResponseDelay = TimeSpan.FromSeconds(2), InverterRampPctPerSecond = 10 }, Noon);
        await using var emulator = new GoodWeEmulator(site, time, 0);
        await using var driver = GoodWe(emulator.Port, time);

        var before = await driver.ReadAsync(CancellationToken.None);
        await driver.SetActivePowerLimitAsync(0, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(12)); // 2 s delay + 100 % at 10 %/s
        var after = await driver.ReadAsync(CancellationToken.None);

        Assert.That(before.Inverter!.AcPowerW, Is.GreaterThan(3000));
        Assert.That(before.Meter!.PowerW, Is.EqualTo(site.Current.GridW).Within(1), "the meter block, in EnergyHub's sign");
        Assert.That(after.Inverter!.AcPowerW, Is.Zero);
        Assert.That(after.Inverter.ActivePowerLimitPct, Is.Zero);
        Assert.That(async () => await driver.SetActivePowerLimitAsync(150, CancellationToken.None), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public async Task The_goodwe_driver_recovers_after_the_connection_drops()
    {
        var time = new ManualTimeProvider(Noon);
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site" }, Noon);
        var emulator = new GoodWeEmulator(site, time, 0);
        var port = emulator.Port;
        await using var driver = GoodWe(port, time);
        await driver.ReadAsync(CancellationToken.None);

        await emulator.DisposeAsync();
        Assert.That(async () => await driver.ReadAsync(CancellationToken.None), Throws.InstanceOf<IOException>());
        await using var again = new GoodWeEmulator(site, time, port);
        time.Advance(TimeSpan.FromSeconds(1)); // the transport's first reconnect delay
        var reading = await driver.ReadAsync(CancellationToken.None);

        Assert.That(reading.Inverter!.AcPowerW, Is.GreaterThan(0));
    }

    [Test]
    public async Task The_alphaess_driver_reads_the_emulator_with_a_valid_signature_and_sdk_signs()
    {
        var time = new ManualTimeProvider(Noon);
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", BatteryInitialSocPct = 30 }, Noon);
        await using var emulator = new AlphaEssEmulator(site, "alphasim", "secret", TimeSpan.FromSeconds(10), time);
        emulator.Start(0);
        using var driver = new AlphaEssSystem(new AlphaEssOptions { Driver = "alphaess", AppId = "alphasim", AppSecret = "secret", BaseUrl = new Uri(emulator.BaseAddress, "api") }, Context("battery", time));
        using var wrong = new AlphaEssSystem(new AlphaEssOptions { Driver = "alphaess", AppId = "alphasim", AppSecret = "wrong", BaseUrl = new Uri(emulator.BaseAddress, "api") }, Context("battery", time));

        var reading = await driver.ReadAsync(CancellationToken.None);

        Assert.That(reading.Battery!.PowerW, Is.GreaterThan(0), "at noon the battery charges: + charging");
        Assert.That(reading.Battery.PowerW, Is.EqualTo(site.Current.BatteryW).Within(0.1));
        Assert.That(reading.Meter!.PowerW, Is.EqualTo(site.Current.GridW).Within(0.1));
        Assert.That(reading.Battery.SocPct, Is.EqualTo(30).Within(0.1));
        Assert.That(async () => await wrong.ReadAsync(CancellationToken.None), Throws.InstanceOf<IOException>().With.Message.Contains("signature rejected"));
    }

    [Test]
    public async Task AlphaESS_battery_modes_reach_the_simulated_battery_through_the_windows_and_only_a_change_is_posted()
    {
        var night = new DateTimeOffset(2025, 11, 11, 16, 0, 0, TimeSpan.Zero); // 02:00 at the site (UTC+10)
        var time = new ManualTimeProvider(night);
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", BatteryInitialSocPct = 30, BatteryMaxChargeW = 2000 }, night);
        await using var emulator = new AlphaEssEmulator(site, "alphasim", "secret", TimeSpan.FromSeconds(10), time);
        emulator.Start(0);
        AlphaEssOptions Options(bool control) => new()
        {
            Driver = "alphaess", AppId = "alphasim", AppSecret = "secret", BaseUrl = new Uri(emulator.BaseAddress, "api"), BatteryControl = control, TimeZone = "Australia/Brisbane",
        };
        using var driver = new AlphaEssSystem(Options(true), Context("battery", time));
        using var readOnly = new AlphaEssSystem(Options(false), Context("battery", time));

        await driver.SetBatteryModeAsync(EnergyHub.Devices.BatteryMode.ChargeFromGrid, 3000, 80, CancellationToken.None);
        var charging = await driver.ReadAsync(CancellationToken.None);
        var posted = emulator.ConfigUpdates;
        time.Advance(TimeSpan.FromMinutes(30));
        await driver.SetBatteryModeAsync(EnergyHub.Devices.BatteryMode.ChargeFromGrid, 2000, 80, CancellationToken.None);
        var unchanged = emulator.ConfigUpdates;
        time.Advance(TimeSpan.FromMinutes(60));
        await driver.SetBatteryModeAsync(EnergyHub.Devices.BatteryMode.ChargeFromGrid, 2000, 80, CancellationToken.None);
        var extended = emulator.ConfigUpdates;
        time.Advance(TimeSpan.FromMinutes(10));
        var stillCharging = site.Observe(time.GetUtcNow()).BatteryW;

        Assert.That(site.BatteryMode, Is.EqualTo(EnergyHub.Devices.BatteryMode.ChargeFromGrid));
        Assert.That(charging.Battery!.Mode, Is.EqualTo(EnergyHub.Devices.BatteryMode.ChargeFromGrid));
        Assert.That(posted, Is.EqualTo(1), "the discharge windows were already off: one post");
        Assert.That(unchanged, Is.EqualTo(posted), "a charge in force with 90 min left is not posted again (AlphaESS limits writes)");
        Assert.That(extended, Is.EqualTo(posted + 1), "with 30 min left the window is extended");
        Assert.That(stillCharging, Is.GreaterThan(0), "the battery charges on past the first window's end");

        await driver.SetBatteryModeAsync(EnergyHub.Devices.BatteryMode.Hold, null, null, CancellationToken.None);
        Assert.That(site.BatteryMode, Is.EqualTo(EnergyHub.Devices.BatteryMode.Hold));
        await driver.EnterSafeStateAsync(CancellationToken.None);
        Assert.That(site.BatteryMode, Is.EqualTo(EnergyHub.Devices.BatteryMode.Auto));
        Assert.That(async () => await driver.SetBatteryModeAsync(EnergyHub.Devices.BatteryMode.Discharge, 3000, null, CancellationToken.None), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(EnergyHub.Site.DeviceFacts.Of(readOnly, true).Has<EnergyHub.Devices.IBatteryControl>(), Is.False);
        Assert.That(async () => await readOnly.SetBatteryModeAsync(EnergyHub.Devices.BatteryMode.Hold, null, null, CancellationToken.None),
            Throws.InvalidOperationException.With.Message.Contains("BatteryControl = true"));
    }
}
