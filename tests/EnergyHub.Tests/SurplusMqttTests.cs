using EnergyHub.TestSupport;

namespace EnergyHub.Tests;

/// <summary>
/// The SurplusDistributor on the demo site with a scripted consumer made only of mosquitto_pub and mosquitto_sub against a
/// real mosquitto, as an es-ESS consumer script would talk to it: the script is a <c>mqtt-scripted-consumer</c> device,
/// its allowance a command through the gate, and es-ESS's figures come from the core's one publisher.
/// </summary>
public sealed class SurplusMqttTests
{
    [Test]
    public async Task A_scripted_consumer_registers_gets_its_request_in_the_sun_and_zero_after_ctrl_c()
    {
        using var broker = await Broker.Start();
        const string requests = "es-ESS/SolarOverheadDistributor/Requests/pump";
        foreach (var (field, value) in new[] { ("IsScriptedConsumer", "true"), ("IsAutomatic", "true"), ("Request", "600"), ("Minimum", "600"), ("StepSize", "600"), ("Priority", "10"), ("VRMInstanceID", "1001") })
        {
            await Peer.Run("mosquitto_pub", "-h", "127.0.0.1", "-p", broker.PortText, "-r", "-q", "1", "-t", $"{requests}/{field}", "-m", value);
        }
        using var first = Peer.Start("mosquitto_sub", "-h", "127.0.0.1", "-p", broker.PortText, "-v", "-t", $"{requests}/Allowance", "-t", "es-ESS/SolarOverheadDistributor/Calculations/#");
        var settings = Settings(broker, reservation: "0:500, 100:0");
        settings["ENERGYHUB_Mqtt__TopicPrefix"] = "es-ESS";
        settings["ENERGYHUB_SurplusDistributor__TopicName"] = "SolarOverheadDistributor";
        settings["ENERGYHUB_Device__pump__Driver"] = "mqtt-scripted-consumer";
        settings["ENERGYHUB_Device__pump__TopicName"] = "SolarOverheadDistributor";
        settings["ENERGYHUB_SurplusDistributor__pump__MinOnTime"] = "0s";
        using var cli = EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: settings);

        await Seen(first, $"{requests}/Allowance 600", cli, broker);
        await Seen(first, "Calculations/OverheadAvailable", cli, broker);
        await Seen(first, "Calculations/Battery/Soc", cli, broker);
        await Seen(first, "Calculations/Grid/TotalFeedIn", cli, broker);
        using var after = Peer.Start("mosquitto_sub", "-h", "127.0.0.1", "-p", broker.PortText, "-v", "-t", $"{requests}/Allowance");
        await Seen(after, $"{requests}/Allowance 600", cli, broker); // subscribed: it sees the next cycle
        cli.Interrupt();
        await Seen(after, $"{requests}/Allowance 0", cli, broker);
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);
        Assert.That(cli.Out, Does.Contain("pump.AllowanceW = 600"), "the allowance went through the gate and its audit");
    }

    [Test]
    public async Task A_no_code_mqtt_plug_is_switched_on_by_the_surplus_confirmed_by_its_status_and_off_after_ctrl_c()
    {
        using var broker = await Broker.Start();
        var mqtt = $"-h 127.0.0.1 -p {broker.PortText}";
        // The plug: two mosquitto clients that echo each command to its status topic, as a Tasmota plug does.
        await Peer.Run("mosquitto_pub", "-h", "127.0.0.1", "-p", broker.PortText, "-r", "-t", "stat/pool/POWER", "-m", "OFF");
        using var plug = Peer.Start("sh", "-c", $"mosquitto_sub {mqtt} -t cmnd/pool/POWER | while read v; do mosquitto_pub {mqtt} -r -t stat/pool/POWER -m \"$v\"; done");
        using var watcher = Peer.Start("mosquitto_sub", "-h", "127.0.0.1", "-p", broker.PortText, "-v", "-t", "cmnd/pool/POWER", "-t", "stat/pool/POWER");
        var settings = Settings(broker, reservation: "0");
        foreach (var (key, value) in new[]
        {
            ("Driver", "mqtt-consumer"), ("OnTopic", "cmnd/pool/POWER"), ("OnValue", "ON"), ("OffTopic", "cmnd/pool/POWER"), ("OffValue", "OFF"),
            ("StatusTopic", "stat/pool/POWER"), ("OnKeywordRegex", "^ON$"), ("OnPowerW", "600"), ("PollInterval", "1m"),
        })
        {
            settings[$"ENERGYHUB_Device__pool__{key}"] = value;
        }
        settings["ENERGYHUB_SurplusDistributor__pool__Request"] = "600";
        settings["ENERGYHUB_SurplusDistributor__pool__MinOnTime"] = "0s";
        using var cli = EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: settings);

        await Seen(watcher, "cmnd/pool/POWER ON", cli, broker);
        await Seen(watcher, "stat/pool/POWER ON", cli, broker);
        cli.Interrupt();
        await Seen(watcher, "cmnd/pool/POWER OFF", cli, broker);
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);
        Assert.That(cli.Out + cli.Err, Does.Not.Contain("[ERR]"));
    }

    // The demo site with [Mqtt] on the broker and the SurplusDistributor on its grid meter and battery. Simulated time:
    // the demo runs 60 times faster, so a cycle every simulated 2 minutes is every 2 real seconds.
    private static Dictionary<string, string> Settings(Broker broker, string reservation) => new()
    {
        ["ENERGYHUB_Common__DataDir"] = Directory.CreateTempSubdirectory("energyhub-surplus-").FullName,
        ["ENERGYHUB_Web__Port"] = "0",
        ["ENERGYHUB_Mqtt__Enabled"] = "true",
        ["ENERGYHUB_Mqtt__Host"] = "127.0.0.1",
        ["ENERGYHUB_Mqtt__Port"] = broker.PortText,
        ["ENERGYHUB_Services__SurplusDistributor"] = "true",
        ["ENERGYHUB_SurplusDistributor__GridMeter"] = "grid",
        ["ENERGYHUB_SurplusDistributor__Battery"] = "battery",
        ["ENERGYHUB_SurplusDistributor__Reservation"] = reservation,
        ["ENERGYHUB_SurplusDistributor__Interval"] = "1m",
        ["ENERGYHUB_SurplusDistributor__CycleInterval"] = "2m",
    };

    private static async Task Seen(Peer watcher, string text, EnergyHubCli cli, Broker broker)
    {
        try
        {
            await watcher.WaitFor(text, TimeSpan.FromSeconds(60));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Assert.Fail($"{ex.Message}\nEnergyHub said:\n{cli.Out}\n{cli.Err}\nThe broker said:\n{broker.Log}");
        }
    }
}
