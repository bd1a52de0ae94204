using EnergyHub.Plugins.Simulator.Emulators;

namespace EnergyHub.Tests;

/// <summary><c>energyhub shelly status|switch</c> against the Shelly emulator, through the real shelly plugin.</summary>
public sealed class ShellyCommandTests
{
    [Test]
    public async Task Status_and_switch_work_without_a_config_file_with_a_digest_password()
    {
        await using var emulator = new ShellyEmulator(ShellyModel.Plus1Pm, TimeProvider.System, password: "s3cret") { PowerW = 1500 };
        emulator.Start(0);
        var host = $"127.0.0.1:{emulator.Port}";
        var secret = new Dictionary<string, string> { ["SHELLY_PASSWORD"] = "s3cret" };

        var status = await EnergyHubCli.Run(["shelly", "status", "--host", host, "--role", "Load"], secret);
        var off = await EnergyHubCli.Run(["shelly", "switch", "--host", host, "off"], secret);
        var json = await EnergyHubCli.Run(["shelly", "status", "--host", host, "--role", "Load", "--json"], secret);
        var wrong = await EnergyHubCli.Run(["shelly", "status", "--host", host, "--password", "guess"], null);
        var bad = await EnergyHubCli.Run(["shelly", "switch", "--host", host, "maybe"], secret);

        Assert.Multiple(() =>
        {
            Assert.That(status.Code, Is.Zero, status.Err);
            Assert.That(status.Out, Does.Contain("SNSW-001P16EU (Gen2)").And.Contain("Meter.PowerW").And.Contain("1500"));
            Assert.That(off.Code, Is.Zero, off.Err);
            Assert.That(off.Out, Does.Contain("is off, read back from the device"));
            Assert.That(emulator.On, Is.False);
            Assert.That(System.Text.Json.JsonDocument.Parse(json.Out).RootElement.GetProperty("powerW").GetDouble(), Is.Zero, "the relay is off");
            Assert.That(wrong.Code, Is.EqualTo(1));
            Assert.That(wrong.Err, Does.Contain("set Password"));
            Assert.That(bad.Code, Is.EqualTo(2));
            Assert.That(bad.Err, Does.Contain("on or off; nothing was sent"));
        });
    }
}
