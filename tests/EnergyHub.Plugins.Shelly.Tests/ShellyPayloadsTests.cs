namespace EnergyHub.Plugins.Shelly.Tests;

/// <summary>Recorded Shelly payloads (Gen1 REST, Gen2+ RPC; provenance in shared/fixtures/shelly) in SDK units.</summary>
public sealed class ShellyPayloadsTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Test]
    public void The_generation_comes_from_gen_not_from_model_strings()
    {
        Assert.That(ShellyPayloads.Info(Fixture("gen1-shelly-shsw1.json")), Is.EqualTo(new ShellyInfo(1, "SHSW-1", null, false, null)));
        Assert.That(ShellyPayloads.Info(Fixture("pro3em-shelly.json")), Is.EqualTo(new ShellyInfo(2, "SPEM-003CEBEU", "shellypro3em-fce8c0dba900", false, "monophase")));
    }

    [Test]
    public void A_gen1_3em_is_three_signed_phases_and_its_counters_in_wh()
    {
        var meter = ShellyPayloads.Gen1EnergyMeter(Fixture("3em-status.json"));

        Assert.That(meter.Phases, Has.Count.EqualTo(3));
        Assert.That(meter.Phases[0], Is.EqualTo(new ShellyPhase(10.66, 0.08, 232.06, 1.0)));
        Assert.That((meter.PowerW, meter.ImportWh, meter.ExportWh), Is.EqualTo((10.66, (double?)5.3, (double?)0.0)));
    }

    [Test]
    public void A_gen1_em_feeding_the_grid_is_negative()
    {
        var meter = ShellyPayloads.Gen1EnergyMeter(Fixture("gen1-em-status.json"));
        Assert.That(meter.PowerW, Is.EqualTo(-620.34), "no total_power on an EM: the channels are summed");
        Assert.That((meter.ImportWh, meter.ExportWh), Is.EqualTo(((double?)(401472.9 + 173411.3), (double?)(653673.7 + 294.2))));
    }

    [Test]
    public void A_gen1_pm_counts_watt_minutes_which_become_wh()
    {
        var status = ShellyPayloads.Gen1Switch(Fixture("gen1-1pm-status.json"), channel: 0);
        Assert.That(status.EnergyWh, Is.EqualTo(107875.21666666666).Within(1e-6), "the fixture's expected value");
        Assert.That((status.On, status.PowerW, status.TemperatureC), Is.EqualTo(((bool?)false, 4711.12, (double?)16.79)));
        Assert.That(() => ShellyPayloads.Gen1Switch(Fixture("gen1-1pm-status.json"), channel: 2), Throws.InstanceOf<FormatException>().With.Message.Contains("check Channel"));
        Assert.That(ShellyPayloads.Gen1Relay(Fixture("gen1-relay-response.json")), Is.False);
    }

    [Test]
    public void A_pro_3em_is_its_three_phases_and_emdata_counters()
    {
        var meter = ShellyPayloads.Gen2ThreePhase(Fixture("pro3em-em-getstatus.json"), Fixture("pro3em-emdata-getstatus.json"));
        Assert.That(meter.PowerW, Is.EqualTo(3048.104));
        Assert.That(meter.Phases.Select(p => p.PowerW), Is.EqualTo(new[] { 2403.7, 409.1, 235.3 }));
        Assert.That(meter.Phases[1].PowerFactor, Is.EqualTo(-0.93));
        Assert.That((meter.ImportWh, meter.ExportWh), Is.EqualTo(((double?)119878.25, (double?)1607.05)));
    }

    [Test]
    public void A_pro_em_channel_is_one_phase_with_its_own_counters()
    {
        var meter = ShellyPayloads.Gen2SinglePhase(Fixture("proem-em1-getstatus.json"), Fixture("em1data-getstatus.json"));
        Assert.That((meter.PowerW, meter.Phases.Single().VoltageV, meter.ImportWh, meter.ExportWh), Is.EqualTo((392.1, (double?)235.2, (double?)1264.15, (double?)144792.28)));
    }

    [Test]
    public void Gen2_switches_report_power_energy_and_temperature_and_ret_aenergy_is_taken_off_the_total()
    {
        var plus = ShellyPayloads.Gen2Switch(Fixture("plus1pm-switch-getstatus.json"));
        var plug = ShellyPayloads.Gen2Switch(Fixture("plug-gen3-switch-getstatus.json"));
        var both = ShellyPayloads.Gen2Switch(Fixture("switch-with-ret-aenergy.json"));

        Assert.That(plus, Is.EqualTo(new ShellySwitchStatus(false, 47.11, 232.0, 0.0, 5.125, null, 25.3)));
        Assert.That((plug.On, plug.PowerW, plug.EnergyWh), Is.EqualTo(((bool?)true, 399.2, (double?)2574466.629)));
        Assert.That((both.EnergyWh, both.ReturnedWh), Is.EqualTo(((double?)6000, (double?)4000)), "the fixture's expected import and return");
    }

    [Test]
    public void Rpc_answers_give_their_result_and_errors_are_exceptions_with_the_code()
    {
        Assert.That(ShellyPayloads.RpcResult(Fixture("rpc-frame-response.json")), Is.EqualTo("""{ "was_on": true }""").IgnoreWhiteSpace);
        Assert.That(ShellyPayloads.RpcResult(Fixture("switch-set-response.json")), Does.Contain("was_on"));
        Assert.That(() => ShellyPayloads.RpcResult(Fixture("rpc-error-404.json")),
            Throws.InstanceOf<ShellyRpcException>().With.Property("Code").EqualTo(404).And.Message.Contains("No handler for EM0.GetStatus"));
        Assert.That(() => ShellyPayloads.RpcResult("""{"id":1,"error":{"code":-103,"message":"Invalid argument 'id'"}}"""),
            Throws.InstanceOf<ShellyRpcException>().With.Property("Code").EqualTo(-103));
    }

    [TestCase("<html>401</html>", "not JSON")]
    [TestCase("[]", "not a JSON object")]
    [TestCase("{\"relays\":[]}", "has no emeters")]
    [TestCase("{\"emeters\":[{\"power\":\"lots\"}]}", "power is not a number")]
    [TestCase("{\"emeters\":[{\"voltage\":230}]}", "has no power")]
    public void Garbage_is_a_format_error_that_says_what_is_wrong(string json, string expected) =>
        Assert.That(() => ShellyPayloads.Gen1EnergyMeter(json), Throws.InstanceOf<FormatException>().With.Message.Contains(expected));
}
