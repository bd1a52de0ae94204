using EnergyHub.Readings;

namespace EnergyHub.Plugins.GoE.Tests;

/// <summary>go-e status payloads (recorded v2 and v1, from go-e's docs and real devices) in SDK units.</summary>
public sealed class GoEStatusTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Test]
    public void A_v2_charging_status_is_three_phases_in_watts_and_watt_hours_with_its_reason_named()
    {
        var status = GoEStatus.Parse(Fixture("status-v2-charging.json"), GoEApi.V2);

        Assert.Multiple(() =>
        {
            Assert.That(status.Car, Is.EqualTo(EvCarState.Charging));
            Assert.That(status.PowerW, Is.EqualTo(4131.5));
            Assert.That(status.CurrentsA, Is.EqualTo(new[] { 6.02, 5.98, 6.05 }));
            Assert.That(status.VoltagesV, Is.EqualTo(new[] { 231.2, 230.4, 232.0 }));
            Assert.That(status.Phases, Is.EqualTo(3));
            Assert.That((status.RequestedCurrentA, status.MinCurrentA, status.MaxCurrentA, status.CableLimitA), Is.EqualTo((6, (int?)6, (int?)16, (int?)32)));
            Assert.That((status.TotalEnergyWh, status.SessionEnergyWh), Is.EqualTo(((double?)1843210, (double?)5120.4)));
            Assert.That((status.Force, status.PhaseSwitchMode), Is.EqualTo(((GoEForce?)GoEForce.On, (int?)2)));
            Assert.That(status.ModelStatus, Is.EqualTo("ChargingBecauseForceStateOn"));
            Assert.That(status.Error, Is.Null);
            Assert.That(status.Firmware, Is.EqualTo("060.4"));
            Assert.That(status.ToReading(), Is.EqualTo(new EvChargerReading(EvCarState.Charging, 4131.5, 6, 3)
            {
                SessionEnergyWh = 5120.4, TotalEnergyWh = 1843210, L1CurrentA = 6.02, L2CurrentA = 5.98, L3CurrentA = 6.05,
                StateCode = 2, Reason = "ChargingBecauseForceStateOn",
            }));
        });
    }

    [Test]
    public void A_v2_idle_status_offers_no_current_and_says_why_it_is_not_charging()
    {
        var status = GoEStatus.Parse(Fixture("status.json"), GoEApi.V2);

        Assert.Multiple(() =>
        {
            Assert.That(status.Car, Is.EqualTo(EvCarState.Disconnected));
            Assert.That(status.Allowed, Is.False);
            Assert.That(status.AllowedCurrentA, Is.Null);
            Assert.That(status.ToReading().CurrentA, Is.Zero, "not allowed to charge: nothing offered, whatever amp says");
            Assert.That(status.Phases, Is.EqualTo(1));
            Assert.That(status.ModelStatus, Is.EqualTo("NotChargingBecauseFallbackAwattar"));
            Assert.That(status.Force, Is.EqualTo(GoEForce.Neutral));
        });
    }

    [Test]
    public void A_v1_charging_status_has_its_tenths_and_deca_watt_seconds_converted()
    {
        var status = GoEStatus.Parse(Fixture("status-v1-charging.json"), GoEApi.V1);

        Assert.Multiple(() =>
        {
            Assert.That(status.Car, Is.EqualTo(EvCarState.Charging));
            Assert.That(status.CurrentsA, Is.EqualTo(new[] { 4.9, 0, 0 }), "nrg 4-6 in 0.1 A");
            Assert.That(status.PowerW, Is.EqualTo(850), "nrg 11 in 0.01 kW");
            Assert.That(status.Phases, Is.EqualTo(1), "only L1 carries current");
            Assert.That(status.TotalEnergyWh, Is.EqualTo(10_001_000), "eto in 0.1 kWh");
            Assert.That(status.SessionEnergyWh, Is.EqualTo(889372 / 360.0).Within(1e-9), "dws in deca-watt-seconds");
            Assert.That(status.TemperatureC, Is.EqualTo(12));
            Assert.That((status.Force, status.ModelStatus), Is.EqualTo(((GoEForce?)null, (string?)null)), "v1 has neither");
        });
    }

    [Test]
    public void A_v1_idle_status_counts_the_phases_switched_through_when_none_carries_current()
    {
        var status = GoEStatus.Parse(Fixture("status-v1-idle.json"), GoEApi.V1);

        Assert.Multiple(() =>
        {
            Assert.That(status.Car, Is.EqualTo(EvCarState.Disconnected));
            Assert.That(status.RequestedCurrentA, Is.EqualTo(10));
            Assert.That(status.Phases, Is.EqualTo(1), "pha 8 = L1 present before the contactor, nothing after it");
            Assert.That(status.TotalEnergyWh, Is.EqualTo(12_000));
            Assert.That(status.TemperatureC, Is.EqualTo(30));
        });
    }

    [TestCase(0, EvCarState.Error)]
    [TestCase(1, EvCarState.Disconnected)]
    [TestCase(2, EvCarState.Charging)]
    [TestCase(3, EvCarState.Connected)]
    [TestCase(4, EvCarState.Complete)]
    [TestCase(5, EvCarState.Error)]
    [TestCase(6, EvCarState.Connected)]
    public void Car_codes_map_to_sdk_states(int code, EvCarState expected)
    {
        var json = Fixture("status-v2-charging.json").Replace("\"car\": 2", $"\"car\": {code}", StringComparison.Ordinal);
        var status = GoEStatus.Parse(json, GoEApi.V2);
        Assert.That((status.CarCode, status.Car), Is.EqualTo(((int?)code, expected)), "the raw code is kept");
    }

    [Test]
    public void An_error_is_named_in_its_apis_numbering()
    {
        var v2 = GoEStatus.Parse(Fixture("status-v2-charging.json").Replace("\"err\": 0", "\"err\": 13", StringComparison.Ordinal), GoEApi.V2);
        var v1 = GoEStatus.Parse(Fixture("status-v1-charging.json").Replace("\"err\": \"0\"", "\"err\": \"8\"", StringComparison.Ordinal), GoEApi.V1);
        Assert.That((v2.Error, v1.Error), Is.EqualTo(("Overtemp", "NoGround")));
    }

    [TestCase("<html>login</html>", "not JSON")]
    [TestCase("[1,2]", "not a JSON object")]
    [TestCase("{}", "no 16-value nrg (it has none)")]
    [TestCase("{\"car\":1,\"amp\":6,\"nrg\":[1,2,3]}", "no 16-value nrg (it has 3 values)")]
    [TestCase("{\"nrg\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}", "lacks car or amp")]
    [TestCase("{\"car\":\"two\",\"amp\":6,\"nrg\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}", "car is not a number")]
    public void Garbage_is_a_format_error_that_says_what_is_wrong(string json, string expected) =>
        Assert.That(() => GoEStatus.Parse(json, GoEApi.V2), Throws.InstanceOf<FormatException>().With.Message.Contains(expected));

    [Test]
    public void A_set_answer_confirms_each_key_or_names_why_not()
    {
        Assert.That(GoESetResponse.Refused(Fixture("set-response-ok.json"), ["frc", "amp"]), Is.Empty);
        Assert.That(GoESetResponse.Refused(Fixture("set-response-error-http500.json"), ["fsp"]),
            Is.EqualTo(new Dictionary<string, string> { ["fsp"] = "fsp: tried to set api key without setter (false)" }));
        Assert.That(GoESetResponse.Refused("{\"amp\":true}", ["amp", "psm"]).Keys, Is.EqualTo(new[] { "psm" }), "a key not answered is not applied");
        Assert.That(() => GoESetResponse.Refused("oops", ["amp"]), Throws.InstanceOf<FormatException>());
    }
}
