using EnergyHub.Plugins.Simulator.Emulators;
using EnergyHub.Plugins.Simulator.Site;
using EnergyHub.Protocols.Modbus;

namespace EnergyHub.Tests;

/// <summary>
/// The BatteryScheduler end to end on a GoodWe ET: <c>energyhub run</c> reads an ET emulator through the real goodwe
/// driver (inverter, grid meter and battery in one), decides with the coordinator's rules and writes the EMS mode over
/// Modbus; the emulator's battery, on a simulated site in this process, charges. Ctrl-C puts it back into self-use.
/// </summary>
public sealed class BatterySchedulerGoodWeEndToEndTests
{
    [Test]
    public async Task An_empty_battery_is_grid_charged_through_the_ET_EMS_mode_and_left_in_self_use_on_stop()
    {
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", PvKwp = 0, BatteryCapacityWh = 10_000, BatteryInitialSocPct = 3, BatteryMinSocPct = 0 },
            DateTimeOffset.UtcNow);
        await using var et = new GoodWeEmulator(site, TimeProvider.System, 0, GoodWeEmulatorFamily.Et);
        var dir = Directory.CreateTempSubdirectory("energyhub-goodwe-et-").FullName;
        var config = Path.Combine(dir, "config.ini");
        await File.WriteAllTextAsync(config, $"""
            [Common]
            DataDir = data
            [Web]
            Enabled = false
            [Services]
            BatteryScheduler = true
            [Device:hybrid]
            Driver = goodwe
            Host = 127.0.0.1
            Port = {et.Port}
            Model = Et
            LimitMode = ExportW
            RatedPowerW = 6000
            BatteryCapacityWh = 10000
            PollInterval = 1s
            [Device:tariff]
            Driver = sim-site
            PriceFile = {Path.Combine(EnergyHubCli.RepoRoot, "config", "examples", "pse-like-day-prices.csv")}
            PriceCurrency = PLN
            [Device:prices]
            Driver = sim-prices
            Site = tariff
            [BatteryScheduler]
            Battery = hybrid
            GridMeter = hybrid
            Inverter = hybrid
            Prices = prices
            Strategy = Rules
            Interval = 1s
            """);
        await using var transport = new ModbusTcpTransport("127.0.0.1", et.Port);
        var modbus = new ModbusClient(transport);
        async Task<ushort[]> Ems() => await modbus.ReadHoldingRegistersAsync(247, 47511, 2, CancellationToken.None);

        using var cli = EnergyHubCli.Start(["run", "--config", config]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var ems = await Ems();
        while (ems[0] != 11 && DateTime.UtcNow < deadline && !cli.Err.Contains("[ERR]", StringComparison.Ordinal))
        {
            await Task.Delay(200);
            ems = await Ems();
        }
        Assert.That(ems[0], Is.EqualTo(11), $"the emergency tier (3 % < 5 %) charges from the grid: EMS mode 11 (charge battery)\n{cli.Out}\n{cli.Err}");
        Assert.That(ems[1], Is.GreaterThan(0), "at a power");
        Assert.That(site.BatteryMode, Is.EqualTo(EnergyHub.Devices.BatteryMode.ChargeFromGrid));
        var now = site.Observe(DateTimeOffset.UtcNow);
        while (now.BatteryW <= 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            now = site.Observe(DateTimeOffset.UtcNow);
        }
        Assert.That(now.BatteryW, Is.GreaterThan(0), "the battery charges");
        Assert.That(now.GridW, Is.GreaterThan(now.HouseLoadW), "from the grid");

        cli.Interrupt();
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);
        Assert.That((await Ems())[0], Is.EqualTo(1), "back in self-use (EMS Auto) when EnergyHub stops");
        Assert.That(site.BatteryMode, Is.EqualTo(EnergyHub.Devices.BatteryMode.Auto));
    }
}
