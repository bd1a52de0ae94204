using System.Text.Json;
using EnergyHub.Readings;
using EnergyHub.Services;
using EnergyHub.Core.Mqtt;

namespace EnergyHub.Core.Tests.Mqtt;

public sealed class HomeAssistantDiscoveryTests
{
    [TestCase("Meter.ImportEnergyWh", "Wh", "energy", "total_increasing")]
    [TestCase("Meter.PowerW", "W", "power", "measurement")]
    [TestCase("Battery.SocPct", "%", "battery", "measurement")]
    [TestCase("Meter.L1.VoltageV", "V", "voltage", "measurement")]
    [TestCase("Inverter.TemperatureC", "°C", "temperature", "measurement")]
    public void A_series_becomes_a_sensor_whose_classes_suit_the_energy_dashboard(string name, string unit, string deviceClass, string stateClass)
    {
        var message = HomeAssistantDiscovery.For("Demo site", "energyhub", "grid", new SeriesValue(name, 1, unit));
        var config = JsonDocument.Parse(message.Payload).RootElement;

        Assert.That(message.Topic, Does.StartWith("homeassistant/sensor/energyhub_demo_site_grid_").And.EndWith("/config"));
        Assert.That(config.GetProperty("state_topic").GetString(), Is.EqualTo($"energyhub/grid/{name.Replace('.', '/')}"));
        Assert.That((config.GetProperty("device_class").GetString(), config.GetProperty("state_class").GetString(), config.GetProperty("unit_of_measurement").GetString()),
            Is.EqualTo((deviceClass, stateClass, unit)));
        Assert.That(config.GetProperty("availability_topic").GetString(), Is.EqualTo("energyhub/$SYS/Status"));
        Assert.That(config.GetProperty("device").GetProperty("identifiers")[0].GetString(), Is.EqualTo("energyhub_demo_site_grid"));
    }

    [Test]
    public void A_unitless_value_has_no_unit_and_no_class()
    {
        var config = JsonDocument.Parse(HomeAssistantDiscovery.For("s", "energyhub", "ev", new SeriesValue("Consumer.IsOn", 1, "")).Payload).RootElement;

        Assert.That(config.TryGetProperty("unit_of_measurement", out _), Is.False);
        Assert.That(config.TryGetProperty("device_class", out _), Is.False);
        Assert.That(config.TryGetProperty("state_class", out _), Is.False);
    }

    private enum Mode { Off, PvOnly }

    [Test]
    public void A_choice_setting_becomes_a_select_with_its_options_and_a_command_topic()
    {
        var setting = ServiceSetting.Choice("Mode", "The mode.", () => Mode.Off, _ => { });
        var message = HomeAssistantDiscovery.ForSetting("Demo site", "energyhub", "EvCharging", setting);
        var config = JsonDocument.Parse(message.Payload).RootElement;

        Assert.That(message.Topic, Is.EqualTo("homeassistant/select/energyhub_demo_site_evcharging_mode/config"));
        Assert.That(config.GetProperty("options").EnumerateArray().Select(o => o.GetString()), Is.EqualTo(new[] { "Off", "PvOnly" }));
        Assert.That((config.GetProperty("state_topic").GetString(), config.GetProperty("command_topic").GetString()),
            Is.EqualTo(("energyhub/EvCharging/Mode", "energyhub/EvCharging/Mode/set")));
        Assert.That(config.TryGetProperty("min", out _), Is.False);
    }

    [TestCase("grid/Meter.PowerW", true)]
    [TestCase("battery/*", true)]
    [TestCase("grid", false)]
    [TestCase("/Meter.PowerW", false)]
    [TestCase("grid/Meter/PowerW", false)]
    public void Exporter_series_are_device_slash_series_or_device_slash_star(string entry, bool valid) =>
        Assert.That(EnergyHub.Testing.OptionsCheck.Problems(new MqttExporterOptions { Series = [entry] }), valid ? Is.Empty : Has.One.Contains("is not device/Part.Value or device/*"));
}
