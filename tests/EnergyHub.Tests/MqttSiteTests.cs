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

    // The demo site's devices guarded by ExportGuard, a service with a setting.
    private static void WithExportGuard(Dictionary<string, string> settings)
    {
        settings["ENERGYHUB_Services__ExportGuard"] = "true";
        settings["ENERGYHUB_ExportGuard__Inverter"] = "inverter";
        settings["ENERGYHUB_ExportGuard__Battery"] = "battery";
        settings["ENERGYHUB_ExportGuard__GridMeter"] = "grid";
        settings["ENERGYHUB_ExportGuard__Prices"] = "prices";
    }

    // The demo guarded by ExportGuard running on a fresh DataDir, settings over MQTT as asked, a watcher on the guard's
    // topics; returns once the guard's threshold has been published.
    private static async Task<(Peer Watcher, EnergyHubCli Cli, string Data)> GuardedSite(Broker broker, bool acceptSettings)
    {
        var data = Directory.CreateTempSubdirectory("energyhub-mqtt-settings-").FullName;
        var settings = Settings(broker, data);
        settings["ENERGYHUB_Mqtt__AcceptSettings"] = acceptSettings ? "true" : "false";
        WithExportGuard(settings);
        var watcher = Peer.Start("mosquitto_sub", "-h", "127.0.0.1", "-p", broker.PortText, "-v", "-t", "energyhub/ExportGuard/#");
        var cli = EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: settings);
        await Seen(watcher, "energyhub/ExportGuard/ThresholdPerKwh 0", cli);
        return (watcher, cli, data);
    }

    // Waits for a line from the watcher; on timeout the failure shows what EnergyHub logged too.
    private static async Task Seen(Peer watcher, string text, EnergyHubCli cli, double seconds = 30, Broker? broker = null)
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
        var settings = Settings(broker, Directory.CreateTempSubdirectory("energyhub-mqtt-").FullName);
        settings["ENERGYHUB_MqttExporter__Devices"] = "grid";
        settings["ENERGYHUB_MqttExporter__Series"] = "battery/Battery.SocPct, heater/*";
        using var cli = EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: settings);

        await Seen(watcher, "energyhub/$SYS/Status Online", cli);
        await Seen(watcher, "energyhub/grid/Meter/PowerW ", cli, broker: broker);
        await Seen(watcher, "energyhub/battery/Battery/SocPct ", cli);
        await Seen(watcher, "energyhub/heater/Consumer/", cli);
        await Seen(watcher, "energyhub/grid/health Online", cli);
        await Seen(watcher, "energyhub/grid/state {\"timestamp\":", cli);
        await Seen(watcher, "energyhub/site/Battery/Goal Full", cli); // the demo's battery charges from the sun in the morning
        await Seen(watcher, "energyhub/site/Battery/TimeToGoMin ", cli);
        cli.Interrupt();
        var code = await cli.WaitForExit(TimeSpan.FromSeconds(30));
        await Seen(watcher, "energyhub/$SYS/Status Offline", cli, 10);

        Assert.That(code, Is.Zero, cli.Err);
        Assert.That(watcher.Output, Does.Not.Contain("energyhub/prices/"), "only the devices named in Devices and Series");
        Assert.That(watcher.Output, Does.Not.Contain("energyhub/battery/Battery/PowerW"), "of the battery only the series named");
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
        WithExportGuard(settings);
        using var cli = EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: settings);

        await Seen(discovery, "homeassistant/sensor/energyhub_demo_site_grid_meter_powerw/config ", cli);
        await Seen(discovery, "homeassistant/sensor/energyhub_demo_site_battery_battery_socpct/config ", cli);
        await Seen(discovery, "homeassistant/number/energyhub_demo_site_exportguard_thresholdperkwh/config ", cli);
        cli.Interrupt();
        await cli.WaitForExit(TimeSpan.FromSeconds(30));

        var configs = discovery.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', 2)).ToList();
        Assert.That(configs, Has.Count.GreaterThan(5));
        foreach (var (topic, json) in configs.Select(c => (c[0], c[1])))
        {
            var config = System.Text.Json.JsonDocument.Parse(json).RootElement;
            Assert.That(topic, Does.Match("^homeassistant/(sensor|number|select)/[a-z0-9_]+/config$"));
            if (!topic.StartsWith("homeassistant/sensor/", StringComparison.Ordinal))
            {
                // A service setting: Home Assistant needs where to command it, and its range or its choices.
                Assert.That(config.GetProperty("command_topic").GetString(), Is.EqualTo(config.GetProperty("state_topic").GetString() + "/set"), json);
                if (topic.StartsWith("homeassistant/number/", StringComparison.Ordinal))
                {
                    Assert.That(config.GetProperty("min").GetDouble(), Is.LessThan(config.GetProperty("max").GetDouble()), json);
                }
                else
                {
                    Assert.That(config.GetProperty("options").GetArrayLength(), Is.GreaterThan(1), json);
                }
            }
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
        using var cli = EnergyHubCli.Start(["run", "--config", config], environment: settings);

        await Seen(watcher, "energyhub/plug/Meter/PowerW 432.1", cli);
        await Seen(watcher, "energyhub/plug/health Online", cli);
        cli.Interrupt();
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);
    }

    [Test]
    public async Task Generic_mqtt_inverter_and_sensors_read_opendtu_and_zigbee2mqtt_payloads_and_turn_stale_when_silent()
    {
        using var broker = await Broker.Start();
        async Task Publish(string topic, string payload, bool retain = true) =>
            await Peer.Run("mosquitto_pub", ["-h", "127.0.0.1", "-p", broker.PortText, .. retain ? new[] { "-r" } : [], "-t", topic, "-m", payload]);
        await Publish("solar/ac/power", "812.5");
        await Publish("solar/ac/yieldtotal", "1234.567");
        await Publish("zigbee2mqtt/tank", "{\"temperature\":54.2,\"humidity\":31,\"linkquality\":120}");
        using var watcher = Peer.Start("mosquitto_sub", "-h", "127.0.0.1", "-p", broker.PortText, "-v", "-t", "energyhub/roof/#", "-t", "energyhub/tank/#", "-t", "energyhub/tank2/#");
        var config = Path.Combine(Directory.CreateTempSubdirectory("energyhub-mqtt-generic-").FullName, "config.ini");
        await File.WriteAllTextAsync(config, """
            [Logging]
            Dir =
            [Device:roof]
            Driver = mqtt-inverter
            Topic = solar/ac/power
            EnergyTopic = solar/ac/yieldtotal
            EnergyScale = 1000
            RatedPowerW = 800
            PollInterval = 1s
            [Device:tank]
            Driver = mqtt-sensor
            Topic = zigbee2mqtt/tank
            ValuePath = temperature
            HumidityTopic = zigbee2mqtt/tank
            HumidityValuePath = humidity
            PollInterval = 1s
            StaleAfter = 4s
            [Device:tank2]
            Driver = mqtt-sensor
            Topic = zigbee2mqtt/tank
            ValuePath = temperature
            PollInterval = 1s
            """);
        var settings = Settings(broker, Path.GetDirectoryName(config)!);
        settings["ENERGYHUB_MqttExporter__Devices"] = "roof, tank, tank2";
        settings["ENERGYHUB_MqttExporter__Interval"] = "1s";
        using var cli = EnergyHubCli.Start(["run", "--config", config], environment: settings);

        await Seen(watcher, "energyhub/roof/Inverter/AcPowerW 812.5", cli);
        await Seen(watcher, "energyhub/roof/Inverter/TotalEnergyWh 1234567", cli);
        await Seen(watcher, "energyhub/tank/Sensor/TemperatureC 54.2", cli);
        await Seen(watcher, "energyhub/tank/Sensor/HumidityPct 31", cli);
        await Seen(watcher, "energyhub/tank2/Sensor/TemperatureC 54.2", cli); // two devices on one topic: both are given every message
        await Seen(watcher, "energyhub/tank/health Online", cli);

        await Publish("zigbee2mqtt/tank", "{\"temperature\":55.5,\"humidity\":30}", retain: false);
        await Seen(watcher, "energyhub/tank/Sensor/TemperatureC 55.5", cli);
        await Seen(watcher, "energyhub/tank2/Sensor/TemperatureC 55.5", cli);
        await Seen(watcher, "energyhub/tank/health Stale", cli); // nothing more for StaleAfter = 4 s
        cli.Interrupt();
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);
    }

    [Test]
    public async Task By_default_a_setting_published_to_its_set_topic_changes_nothing()
    {
        using var broker = await Broker.Start();
        var (watcher, cli, data) = await GuardedSite(broker, acceptSettings: false);
        using var watching = watcher;
        using var running = cli;

        // Said once the settings' MQTT side has started, which then subscribes to nothing.
        await cli.WaitForOutput("[Mqtt] AcceptSettings = true lets .../set change them", TimeSpan.FromSeconds(30));
        await Peer.Run("mosquitto_pub", "-h", "127.0.0.1", "-p", broker.PortText, "-q", "1", "-t", "energyhub/ExportGuard/ThresholdPerKwh/set", "-m", "-5");
        await Peer.Run("mosquitto_pub", "-h", "127.0.0.1", "-p", broker.PortText, "-q", "1", "-t", "energyhub/ExportGuard/PauseHours/set", "-m", "24");
        cli.Interrupt();
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);

        Assert.That(cli.Out, Does.Not.Contain("ThresholdPerKwh set to").And.Not.Contain("PauseHours set to"));
        Assert.That(File.Exists(Path.Combine(data, "settings.json")) ? await File.ReadAllTextAsync(Path.Combine(data, "settings.json")) : "",
            Does.Not.Contain("-5").And.Not.Contain("\"PauseHours\": \"24\""));
    }

    [Test]
    public async Task A_service_setting_is_published_and_set_over_mqtt_bad_values_are_refused_and_the_value_is_kept()
    {
        using var broker = await Broker.Start();
        var (watcher, cli, data) = await GuardedSite(broker, acceptSettings: true);
        using var watching = watcher;
        using var running = cli;
        Task Set(string topic, string value) => Peer.Run("mosquitto_pub", "-h", "127.0.0.1", "-p", broker.PortText, "-t", topic, "-m", value);

        await Set("energyhub/ExportGuard/ThresholdPerKwh/set", "0.05");
        await Seen(watcher, "energyhub/ExportGuard/ThresholdPerKwh 0.05", cli);
        await cli.WaitForOutput("(was 0) by MQTT energyhub/ExportGuard/ThresholdPerKwh/set", TimeSpan.FromSeconds(30));
        Assert.That(cli.Out, Does.Contain("AcceptSettings = true without User"), "a broker without credentials is warned about");
        await Set("energyhub/ExportGuard/ThresholdPerKwh/set", "cheap");
        await cli.WaitForOutput("'cheap' is not a number from -100 to 100", TimeSpan.FromSeconds(30));
        await Set("energyhub/PoolHeater/Mode/set", "On");
        await cli.WaitForOutput("no switched-on service PoolHeater has settings (those that do: ", TimeSpan.FromSeconds(30));
        Assert.That(cli.Out, Does.Match(@"those that do: [^)]*ExportGuard"), "the refusal lists the services that have settings");
        cli.Interrupt();
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);

        var saved = await File.ReadAllTextAsync(Path.Combine(data, "settings.json"));
        Assert.That(saved, Does.Contain("\"ThresholdPerKwh\": \"0.05\""), "kept for the next start");
    }

    [Test]
    public async Task A_new_data_dir_takes_the_ev_mode_back_from_the_broker_once_and_each_charger_s_state_is_published_retained()
    {
        using var broker = await Broker.Start();
        Task Publish(string topic, string value) => Peer.Run("mosquitto_pub", "-h", "127.0.0.1", "-p", broker.PortText, "-r", "-q", "1", "-t", topic, "-m", value);
        var data = Directory.CreateTempSubdirectory("energyhub-mqtt-ev-").FullName;
        var settings = Settings(broker, data);
        settings["ENERGYHUB_Mqtt__AcceptSettings"] = "true";
        settings["ENERGYHUB_Services__EvCharging"] = "true";
        settings["ENERGYHUB_EvCharging__Charger"] = "ev";
        settings["ENERGYHUB_EvCharging__GridMeter"] = "grid";
        settings["ENERGYHUB_EvCharging__Mode"] = "PvOnly";
        await Publish("energyhub/EvCharging/Mode", "PvAll"); // what the site published before its SD card was replaced

        using (var watcher = Peer.Start("mosquitto_sub", "-h", "127.0.0.1", "-p", broker.PortText, "-v", "-t", "energyhub/EvCharging/#"))
        using (var cli = EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: settings))
        {
            await Seen(watcher, "energyhub/EvCharging/ev/State {\"key\":\"\",\"charger\":\"ev\",", cli, broker: broker);
            await cli.WaitForOutput("EvCharging: Mode restored to PvAll from the value published before (this DataDir is new)", TimeSpan.FromSeconds(30));
            await Seen(watcher, "\"desiredMode\":\"PvAll\"", cli);
            cli.Interrupt();
            Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);
        }
        Assert.That(await File.ReadAllTextAsync(Path.Combine(data, "settings.json")), Does.Contain("\"Mode\": \"PvAll\""));

        // The DataDir is not new any more: its own file counts, whatever the broker kept.
        await Publish("energyhub/EvCharging/Mode", "Max");
        using (var watcher = Peer.Start("mosquitto_sub", "-h", "127.0.0.1", "-p", broker.PortText, "-v", "-t", "energyhub/EvCharging/Mode"))
        using (var cli = EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: settings))
        {
            await Seen(watcher, "energyhub/EvCharging/Mode PvAll", cli, broker: broker);
            cli.Interrupt();
            Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);
            Assert.That(cli.Out + cli.Err, Does.Not.Contain("restored to"));
        }
    }

    [TestCase("123.5", "", 123.5)]
    [TestCase("{\"ENERGY\":{\"Power\":42}}", "ENERGY.Power", 42.0)]
    [TestCase("{\"power\":\"7.25\"}", "power", 7.25)]
    [TestCase("{\"power\":null}", "power", null)]
    [TestCase("not json", "power", null)]
    [TestCase("NaN", "", null)]
    public void A_payload_gives_the_number_at_its_path_or_nothing(string payload, string path, double? expected) =>
        Assert.That(EnergyHub.Plugins.Mqtt.MqttPayload.Parse(payload, path), Is.EqualTo(expected));

    [Test]
    public async Task When_energyhub_dies_the_broker_says_offline_within_one_and_a_half_keep_alives()
    {
        using var broker = await Broker.Start();
        using var cli = EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: Settings(broker, Directory.CreateTempSubdirectory("energyhub-mqtt-").FullName));
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
