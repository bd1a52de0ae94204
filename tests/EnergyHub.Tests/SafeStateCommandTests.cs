using System.Net;
using System.Net.Sockets;
using EnergyHub.Plugins.Simulator.Emulators;
using EnergyHub.Plugins.Simulator.Site;
using EnergyHub.Protocols.Modbus;

namespace EnergyHub.Tests;

/// <summary><c>energyhub safe-state</c>: what the systemd unit runs after the daemon ended, however it ended.</summary>
public sealed class SafeStateCommandTests
{
    private static async Task<string> Config(int port, string dir)
    {
        var path = Path.Combine(dir, "config.ini");
        await File.WriteAllTextAsync(path, $"""
            [Common]
            DataDir = {dir}/data
            [Logging]
            Dir =
            [Device:roof]
            Driver = goodwe
            Host = 127.0.0.1
            Port = {port}
            Model = Dt
            RatedPowerW = 5000
            Timeout = 2s
            [Device:site]
            Driver = sim-site
            [Device:heater]
            Driver = sim-relay
            Site = site
            """);
        return path;
    }

    [Test]
    public async Task A_curtailed_inverter_left_by_a_killed_daemon_is_set_back_to_100_percent()
    {
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", UtcOffsetHours = 0 }, DateTimeOffset.UtcNow.Date.AddHours(12));
        await using var emulator = new GoodWeEmulator(site, TimeProvider.System, 0);
        await using var transport = new ModbusTcpTransport("127.0.0.1", emulator.Port);
        var modbus = new ModbusClient(transport);
        await modbus.WriteSingleRegisterAsync(247, 256, 0, CancellationToken.None);
        var dir = Directory.CreateTempSubdirectory("energyhub-safe-").FullName;

        var (code, output, errors) = await EnergyHubCli.Run("safe-state", "--config", await Config(emulator.Port, dir));

        Assert.That(code, Is.Zero, errors);
        Assert.That(output, Does.Contain("roof (goodwe): limit lifted (100 %): confirmed")
            .And.Contain("heater (sim-relay): off (allowance 0 W): confirmed")
            .And.Contain("site (sim-site): nothing to do"));
        Assert.That((await modbus.ReadHoldingRegistersAsync(247, 256, 1, CancellationToken.None))[0], Is.EqualTo(100));
    }

    [Test]
    public async Task A_device_only_read_as_configured_is_skipped_and_the_rest_confirm_within_the_budget()
    {
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", UtcOffsetHours = 0 }, DateTimeOffset.UtcNow.Date.AddHours(12));
        await using var emulator = new GoodWeEmulator(site, TimeProvider.System, 0);
        var dir = Directory.CreateTempSubdirectory("energyhub-safe-").FullName;

        // The shipped emulated site: a GoodWe (here on the test's emulator), a read-only AlphaESS and Amber prices.
        var (code, output, errors) = await EnergyHubCli.Run(["safe-state", "--config", Path.Combine(EnergyHubCli.RepoRoot, "config", "examples", "export-guard-emulated.ini"), "--timeout", "5s"],
            new Dictionary<string, string> { ["ENERGYHUB_Device__roof__Port"] = emulator.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["ENERGYHUB_Common__DataDir"] = dir });

        Assert.That(code, Is.Zero, output + errors);
        Assert.That(output, Does.Contain("battery (alphaess): nothing to do, it is only read")
            .And.Contain("roof (goodwe): limit lifted (100 %): confirmed")
            .And.Not.Contain("NOT confirmed"));
    }

    [Test]
    public async Task An_inverter_that_does_not_answer_is_retried_until_the_timeout_and_reported_with_exit_1()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop(); // nothing listens there now
        var dir = Directory.CreateTempSubdirectory("energyhub-safe-").FullName;

        var (code, output, errors) = await EnergyHubCli.Run("safe-state", "--config", await Config(port, dir), "--timeout", "3s");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Match(@"roof \(goodwe\): limit lifted \(100 %\): NOT confirmed after [2-9] attempt\(s\)"), "retried, not given up after one try");
        Assert.That(errors, Does.Contain("1 device(s) are not in their safe state"));
    }
}
