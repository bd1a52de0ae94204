using EnergyHub.Plugins.Simulator.Emulators;

namespace EnergyHub.Tests;

/// <summary><c>energyhub goe status|set</c> against the go-e emulator, through the real goe plugin.</summary>
public sealed class GoECommandTests
{
    [Test]
    public async Task Status_and_set_work_without_a_config_file_and_bad_values_are_refused_before_sending()
    {
        await using var emulator = new GoEEmulator(v2: true, TimeProvider.System);
        emulator.Start(0);
        var host = $"127.0.0.1:{emulator.Port}";

        var status = await EnergyHubCli.Run("goe", "status", "--host", host);
        var json = await EnergyHubCli.Run("goe", "status", "--host", host, "--json");
        var set = await EnergyHubCli.Run("goe", "set", "--host", host, "--current", "10", "--phases", "1");
        var after = await EnergyHubCli.Run("goe", "status", "--host", host, "--json");
        var writes = emulator.Writes;
        var tooHigh = await EnergyHubCli.Run("goe", "set", "--host", host, "--current", "40");
        var nothing = await EnergyHubCli.Run("goe", "set", "--host", host);
        var neutral = await EnergyHubCli.Run("goe", "set", "--host", host, "--force", "neutral");

        Assert.Multiple(() =>
        {
            Assert.That(status.Code, Is.Zero, status.Err);
            Assert.That(status.Out, Does.Contain("Charging (code 2)").And.Contain("Charger.PowerW").And.Contain("ChargingBecauseFallbackDefault"));
            Assert.That(json.Code, Is.Zero, json.Err);
            Assert.That(System.Text.Json.JsonDocument.Parse(json.Out).RootElement.GetProperty("car").GetString(), Is.EqualTo("Charging"));
            Assert.That(set.Code, Is.Zero, set.Err);
            var charger = System.Text.Json.JsonDocument.Parse(after.Out).RootElement;
            Assert.That((charger.GetProperty("currentA").GetDouble(), charger.GetProperty("phases").GetInt32(), charger.GetProperty("powerW").GetDouble()),
                Is.EqualTo((10.0, 1, 2300.0)));
            Assert.That(tooHigh.Code, Is.EqualTo(2));
            Assert.That(tooHigh.Err.Trim(), Is.EqualTo("--current 40: 0 (pause) or 6–32 A; nothing was sent."));
            Assert.That(nothing.Err, Does.Contain("give --current, --phases or --force"));
            Assert.That(neutral.Code, Is.Zero, neutral.Err);
            Assert.That(emulator.Writes, Is.EqualTo(writes + 1), "only the neutral force was sent after the refused values");
        });
    }

    [Test]
    public async Task A_charger_that_is_not_there_fails_with_what_to_check()
    {
        var result = await EnergyHubCli.Run("goe", "status", "--host", $"127.0.0.1:{EnergyHub.TestSupport.Peer.FreePort()}");
        Assert.That(result.Code, Is.EqualTo(1));
        Assert.That(result.Err, Does.Contain("local HTTP API is on in the go-e app"));
    }

    // Each emulated example on free ports: the emulator section's port key (Section:Key:device, or Section:device for
    // Port) and the device's Host moved together.
    [TestCase("goe-emulated.ini", "GoEEmulator:ev")]
    [TestCase("goe-shelly-emulated.ini", "GoEEmulator:ev", "ShellyEmulator:grid", "ShellyEmulator:PlugPort:heater")]
    public async Task The_emulated_example_runs_the_real_drivers_end_to_end(string example, params string[] emulatorDevices)
    {
        var dataDir = Directory.CreateTempSubdirectory("energyhub-example-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["ENERGYHUB_Common__DataDir"] = dataDir,
            ["ENERGYHUB_Logging__Dir"] = "",
            ["ENERGYHUB_Web__Port"] = "0",
        };
        foreach (var pair in emulatorDevices.Select(p => p.Split(':')))
        {
            var port = EnergyHub.TestSupport.Peer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
            environment[$"ENERGYHUB_{pair[0]}__{(pair.Length == 3 ? pair[1] : "Port")}"] = port;
            environment[$"ENERGYHUB_Device__{pair[^1]}__Host"] = $"127.0.0.1:{port}";
        }
        using var cli = EnergyHubCli.Start(["run", "--config", Path.Combine(EnergyHubCli.RepoRoot, "config", "examples", example)], environment: environment);
        foreach (var device in emulatorDevices.Select(p => p.Split(':')[^1]))
        {
            await cli.WaitForOutput($"Device {device} is Online", TimeSpan.FromSeconds(60));
        }
        await cli.WaitForOutput("The live page and API are on", TimeSpan.FromSeconds(60)); // started: Ctrl-C now is a normal stop
        cli.Interrupt();

        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Out + cli.Err);
        Assert.That(cli.Out + cli.Err, Does.Not.Contain("[WRN]").And.Not.Contain("[ERR]"));
        Assert.That(cli.Out, Does.Not.Contain("Start processing HTTP request"), "HttpClient's own request lines stay below the log level");
        if (example == "goe-shelly-emulated.ini")
        {
            Assert.That(File.Exists(Path.Combine(dataDir, "devices", "grid", "net-energy.json")), Is.True, "the grid meter's net counters are kept on stop");
        }
    }
}
