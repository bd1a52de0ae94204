using EnergyHub.TestSupport;

namespace EnergyHub.Tests;

/// <summary>
/// EnergyHub on the demo site with [Mqtt] on, against a real mosquitto, watched only with mosquitto_sub (an independent
/// client): its presence and the exporter's topics.
/// </summary>
public sealed class MqttSiteTests
{
    private static Dictionary<string, string> Settings(Broker broker, string data) => new()
    {
        ["ENERGYHUB_Common__DataDir"] = data,
        ["ENERGYHUB_Web__Port"] = "0",
        ["ENERGYHUB_Mqtt__Enabled"] = "true",
        ["ENERGYHUB_Mqtt__Host"] = "127.0.0.1",
        ["ENERGYHUB_Mqtt__Port"] = broker.PortText,
        ["ENERGYHUB_Mqtt__KeepAlive"] = "5s",
        ["ENERGYHUB_Services__MqttExporter"] = "true",
        ["ENERGYHUB_MqttExporter__Devices"] = "grid, battery",
        ["ENERGYHUB_MqttExporter__Interval"] = "1m", // simulated time: the demo runs 60 times faster, devices are read every real second
    };

    // Waits for a line from the watcher; on timeout the failure shows what EnergyHub logged too.
    private static async Task Seen(Peer watcher, string text, Cli cli, double seconds = 30, Broker? broker = null)
    {
        try
        {
            await watcher.WaitFor(text, TimeSpan.FromSeconds(seconds));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Assert.Fail($"{ex.Message}\nEnergyHub said:\n{cli.Out}\n{cli.Err}\nThe broker said:\n{broker?.Log}");
        }
    }

    [Test]
    public async Task Presence_is_online_while_running_and_offline_after_ctrl_c_and_the_exporter_publishes_readings_and_health()
    {
        using var broker = await Broker.Start();
        using var watcher = Peer.Start("mosquitto_sub", "-h", "127.0.0.1", "-p", broker.PortText, "-v", "-t", "energyhub/#");
        using var cli = Cli.Start(["run", "--config", "config/demo.ini"], environment: Settings(broker, Directory.CreateTempSubdirectory("energyhub-mqtt-").FullName));

        await Seen(watcher, "energyhub/$SYS/Status Online", cli);
        await Seen(watcher, "energyhub/grid/Meter/PowerW ", cli, broker: broker);
        await Seen(watcher, "energyhub/battery/Battery/SocPct ", cli);
        await Seen(watcher, "energyhub/grid/health Online", cli);
        await Seen(watcher, "energyhub/grid/state {\"timestamp\":", cli);
        cli.Interrupt();
        var code = await cli.WaitForExit(TimeSpan.FromSeconds(30));
        await Seen(watcher, "energyhub/$SYS/Status Offline", cli, 10);

        Assert.That(code, Is.Zero, cli.Err);
        Assert.That(watcher.Output, Does.Not.Contain("energyhub/prices/"), "only the devices named in Devices");
        var power = watcher.Output.Split('\n').First(l => l.StartsWith("energyhub/grid/Meter/PowerW ", StringComparison.Ordinal));
        Assert.That(double.TryParse(power.Split(' ')[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _), Is.True, power);
    }

    [Test]
    public async Task Home_assistant_discovery_announces_every_series_with_the_fields_home_assistant_requires()
    {
        using var broker = await Broker.Start();
        using var discovery = Peer.Start("mosquitto_sub", "-h", "127.0.0.1", "-p", broker.PortText, "-v", "-t", "homeassistant/#");
        var settings = Settings(broker, Directory.CreateTempSubdirectory("energyhub-mqtt-").FullName);
        settings["ENERGYHUB_MqttExporter__HomeAssistant"] = "true";
        using var cli = Cli.Start(["run", "--config", "config/demo.ini"], environment: settings);

        await Seen(discovery, "homeassistant/sensor/energyhub_demo_site_grid_meter_powerw/config ", cli);
        await Seen(discovery, "homeassistant/sensor/energyhub_demo_site_battery_battery_socpct/config ", cli);
        cli.Interrupt();
        await cli.WaitForExit(TimeSpan.FromSeconds(30));

        var configs = discovery.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', 2)).ToList();
        Assert.That(configs, Has.Count.GreaterThan(5));
        foreach (var (topic, json) in configs.Select(c => (c[0], c[1])))
        {
            var config = System.Text.Json.JsonDocument.Parse(json).RootElement;
            Assert.That(topic, Does.Match("^homeassistant/sensor/[a-z0-9_]+/config$"));
            foreach (var field in new[] { "name", "unique_id", "state_topic", "availability_topic", "payload_available", "payload_not_available" })
            {
                Assert.That(config.TryGetProperty(field, out var value) && value.GetString() is { Length: > 0 }, Is.True, $"{topic} lacks {field}: {json}");
            }
            Assert.That(config.GetProperty("state_topic").GetString(), Does.StartWith("energyhub/"));
            Assert.That(config.GetProperty("device").GetProperty("identifiers").GetArrayLength(), Is.EqualTo(1));
            if (config.TryGetProperty("unit_of_measurement", out var unit) && unit.GetString() == "Wh")
            {
                Assert.That((config.GetProperty("device_class").GetString(), config.GetProperty("state_class").GetString()), Is.EqualTo(("energy", "total_increasing")), topic);
            }
        }
    }

    [Test]
    public async Task A_generic_mqtt_meter_reads_a_tasmota_style_payload_and_the_exporter_publishes_it_in_sdk_units()
    {
        using var broker = await Broker.Start();
        await Peer.Run("mosquitto_pub", "-h", "127.0.0.1", "-p", broker.PortText, "-r", "-t", "tele/plug/SENSOR", "-m", "{\"ENERGY\":{\"Power\":0.4321}}");
        using var watcher = Peer.Start("mosquitto_sub", "-h", "127.0.0.1", "-p", broker.PortText, "-v", "-t", "energyhub/plug/#");
        var config = Path.Combine(Directory.CreateTempSubdirectory("energyhub-mqtt-meter-").FullName, "config.ini");
        await File.WriteAllTextAsync(config, """
            [Logging]
            Dir =
            [Device:plug]
            Driver = mqtt-meter
            Role = Load
            Topic = tele/plug/SENSOR
            ValuePath = ENERGY.Power
            Scale = 1000
            PollInterval = 1s
            """);
        var settings = Settings(broker, Path.GetDirectoryName(config)!);
        settings["ENERGYHUB_MqttExporter__Devices"] = "plug";
        settings["ENERGYHUB_MqttExporter__Interval"] = "1s";
        using var cli = Cli.Start(["run", "--config", config], environment: settings);

        await Seen(watcher, "energyhub/plug/Meter/PowerW 432.1", cli);
        await Seen(watcher, "energyhub/plug/health Online", cli);
        cli.Interrupt();
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);
    }

    [TestCase("123.5", "", 123.5)]
    [TestCase("{\"ENERGY\":{\"Power\":42}}", "ENERGY.Power", 42.0)]
    [TestCase("{\"power\":\"7.25\"}", "power", 7.25)]
    [TestCase("{\"power\":null}", "power", null)]
    [TestCase("not json", "power", null)]
    [TestCase("NaN", "", null)]
    public void A_payload_gives_the_number_at_its_path_or_nothing(string payload, string path, double? expected) =>
        Assert.That(EnergyHub.Plugins.Mqtt.MqttMeter.Parse(payload, path), Is.EqualTo(expected));

    [Test]
    public async Task When_energyhub_dies_the_broker_says_offline_within_one_and_a_half_keep_alives()
    {
        using var broker = await Broker.Start();
        using var cli = Cli.Start(["run", "--config", "config/demo.ini"], environment: Settings(broker, Directory.CreateTempSubdirectory("energyhub-mqtt-").FullName));
        using (var online = Peer.Start("mosquitto_sub", "-h", "127.0.0.1", "-p", broker.PortText, "-v", "-t", "energyhub/$SYS/Status"))
        {
            await online.WaitFor("energyhub/$SYS/Status Online", TimeSpan.FromSeconds(30));
        }
        using var watcher = Peer.Start("mosquitto_sub", "-h", "127.0.0.1", "-p", broker.PortText, "-v", "-t", "energyhub/$SYS/Status");
        await watcher.WaitFor("energyhub/$SYS/Status Online", TimeSpan.FromSeconds(10));

        cli.Kill();

        // Keep-alive 5 s: the broker gives up after 7.5 s without a word and sends the will; 15 s leaves room for a loaded machine.
        await watcher.WaitFor("energyhub/$SYS/Status Offline", TimeSpan.FromSeconds(15));
    }
}
