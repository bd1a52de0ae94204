using EnergyHub.Core.Config;
using EnergyHub.Core.Tests.Support;
using EnergyHub.Options;

namespace EnergyHub.Core.Tests.Config;

public sealed class SiteConfigValidatorTests
{
    private const string Valid = """
        [Common]
        SiteName = Test
        [Services]
        Guard = true
        [Device:grid]
        Driver = fake-meter
        PowerW = 12.5
        PollInterval = 2s
        [Device:roof]
        Driver = fake-inverter
        [Guard]
        Inverter = roof
        Meters = grid
        Count = 3
        """;

    [Test]
    public void A_valid_file_binds_every_value_with_its_type()
    {
        var site = TestSite.Load(Valid);

        var grid = site.Devices.Single(d => d.Id == "grid");
        var guard = (GuardOptions)site.Services.Single().Options;
        Assert.Multiple(() =>
        {
            Assert.That(site.Common.SiteName, Is.EqualTo("Test"));
            Assert.That(grid.Driver.Name, Is.EqualTo("fake-meter"));
            Assert.That(((FakeMeterOptions)grid.Options).PowerW, Is.EqualTo(12.5));
            Assert.That(grid.Options.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(grid.Options.EffectiveStaleAfter, Is.EqualTo(TimeSpan.FromSeconds(6)));
            Assert.That(guard.Inverter, Is.EqualTo("roof"));
            Assert.That(guard.Meters, Is.EqualTo(new[] { "grid" }));
            Assert.That(guard.Count, Is.EqualTo(3));
            Assert.That(guard.Interval, Is.EqualTo(TimeSpan.FromSeconds(5)));
        });
    }

    // Each case: a replacement applied to the valid file, and the text the one error line must contain.
    [TestCase("Driver = fake-meter", "Driver = fake-metr",
        ":6: [Device:grid] Driver: unknown driver 'fake-metr' (did you mean 'fake-meter'?). Allowed: fake-inverter, fake-meter.")]
    [TestCase("Count = 3", "Count = three",
        ":14: [Guard] Count: 'three' is not a whole number. Allowed: a whole number.")]
    [TestCase("Count = 3", "Count = 101",
        ":14: [Guard] Count: '101' is out of range. Allowed: from 0 to 100.")]
    [TestCase("PowerW = 12.5", "PowerW = 12,5",
        ":7: [Device:grid] PowerW: '12,5' is not a number. Allowed: a number with . as the decimal point and no unit, e.g. 4500 or -0.25.")]
    [TestCase("Inverter = roof", "Inverter = roof2",
        ":12: [Guard] Inverter: device 'roof2' does not exist (did you mean 'roof'?). Allowed: ids of [Device:<id>] sections: grid, roof.")]
    [TestCase("Inverter = roof", "Inverter = grid",
        ":12: [Guard] Inverter: device 'grid' (driver fake-meter, which can play IMeter) is not an IInverter. Allowed: roof.")]
    [TestCase("Meters = grid", "Meters = grid, nowhere",
        ":13: [Guard] Meters: device 'nowhere' does not exist.")]
    [TestCase("Inverter = roof", "",
        "[Guard] Inverter: missing required key. Allowed: Inverter = any text.")]
    [TestCase("PollInterval = 2s", "PolInterval = 2s",
        ":8: [Device:grid] PolInterval: unknown key (did you mean 'PollInterval'?). Allowed: the keys Driver, DisplayName, PollInterval,")]
    [TestCase("PollInterval = 2s", "PollInterval = 2 parsecs",
        ":8: [Device:grid] PollInterval: '2 parsecs' is not a duration. Allowed: a duration such as 500ms, 5s, 2m, 1h or 1d")]
    [TestCase("PollInterval = 2s", "PollInterval = 2d",
        ":8: [Device:grid] PollInterval: '2d' is out of range. Allowed: from 100ms to 1d.")]
    [TestCase("[Common]", "[Comon]",
        ":1: [Comon]: unknown section (did you mean 'Common'?). Allowed: sections [Common], [Logging], [Journal], [Web], [Mqtt], [Services], [Guard], [Device:<id>].")]
    [TestCase("Guard = true", "Gaurd = true",
        ":4: [Services] Gaurd: unknown service (did you mean 'Guard'?). Allowed: Guard.")]
    [TestCase("Guard = true", "Guard = maybe",
        ":4: [Services] Guard: 'maybe' is not true or false. Allowed: true or false.")]
    [TestCase("Driver = fake-inverter", "",
        ":9: [Device:roof] Driver: missing required key. Allowed: Driver = one of fake-inverter, fake-meter.")]
    [TestCase("SiteName = Test", "SiteName = Test\nSiteName = Again",
        ":3: [Common] SiteName: duplicate key, first set on line 2. Allowed: each key once per section.")]
    [TestCase("SiteName = Test", "SiteName",
        ":2: [Common]: 'SiteName' is neither a section header, a key = value line nor a comment.")]
    [TestCase("SiteName = Test", "SiteName = Test\nTimeZone = Mars/Olympus_Mons",
        "[Common] TimeZone: 'Mars/Olympus_Mons' is not a time zone this machine knows; use an IANA name such as Europe/Berlin")]
    public void One_problem_gives_one_line_with_file_line_section_key_and_what_is_allowed(string find, string replace, string expected)
    {
        Assert.That(Valid, Does.Contain(find));
        var errors = TestSite.Errors(Valid.Replace(find, replace, StringComparison.Ordinal));

        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
        Assert.That(errors[0], Does.Contain(expected));
        Assert.That(errors[0], Does.StartWith(Path.GetTempPath()).And.Contain("config.ini"));
        Assert.That(errors[0], Does.Not.Contain("\n"));
    }

    [Test]
    public void A_device_id_with_a_space_is_refused()
    {
        var errors = TestSite.Errors(Valid.Replace("[Device:roof]", "[Device:roof top]", StringComparison.Ordinal));
        Assert.That(errors, Has.Some.Contains(":9: [Device:roof top]: device id 'roof top' has characters ids cannot have."));
    }

    [Test]
    public void Every_problem_is_reported_at_once_in_file_order()
    {
        var errors = TestSite.Errors(Valid
            .Replace("Count = 3", "Count = x", StringComparison.Ordinal)
            .Replace("Driver = fake-meter", "Driver = nope", StringComparison.Ordinal)
            .Replace("[Common]", "[Commons]", StringComparison.Ordinal));

        Assert.That(errors, Has.Count.EqualTo(3));
        Assert.That(errors[0], Does.Contain("[Commons]"));
        Assert.That(errors[1], Does.Contain("unknown driver 'nope'"));
        Assert.That(errors[2], Does.Contain("'x' is not a whole number"));
    }

    [Test]
    public void A_sections_cross_field_rule_is_reported_in_the_same_round_as_its_keys_problems_and_a_plugins_points_to_its_option_list()
    {
        var errors = TestSite.Errors(Valid
            .Replace("Inverter = roof\n", "", StringComparison.Ordinal)
            .Replace("Count = 3", "Count = 0\nThresholdPerKwh = 1", StringComparison.Ordinal));

        Assert.That(errors, Has.Count.EqualTo(2), string.Join("\n", errors));
        Assert.That(errors, Has.Some.Contains("[Guard] Inverter: missing required key"));
        Assert.That(errors, Has.Some.Contains("[Guard] Count: Count = 0 needs ThresholdPerKwh = 0")
            .And.Some.Contains("`energyhub plugins --options Guard` lists the keys with what each does"));
    }

    [Test]
    public void Mqtt_switched_on_without_a_broker_is_one_line_naming_the_key()
    {
        var errors = TestSite.Errors(Valid + "\n[Mqtt]\nEnabled = true\nTopicPrefix = home/#\n");

        Assert.That(errors, Has.Count.EqualTo(2), string.Join("\n", errors));
        Assert.That(errors, Has.Some.Contains("[Mqtt] Host: Enabled = true needs the broker's Host"));
        Assert.That(errors, Has.Some.Contains("[Mqtt] TopicPrefix: TopicPrefix cannot hold the wildcards # or +"));
    }

    [Test]
    public void A_cross_field_rule_is_checked_even_when_another_section_has_an_error()
    {
        var errors = TestSite.Errors(Valid
            .Replace("Driver = fake-meter", "Driver = nope", StringComparison.Ordinal)
            .Replace("Count = 3", "Count = 0\nThresholdPerKwh = 1", StringComparison.Ordinal));

        Assert.That(errors, Has.Count.EqualTo(2), string.Join("\n", errors));
        Assert.That(errors[1], Does.Contain("[Guard] Count: Count = 0 needs ThresholdPerKwh = 0"));
    }

    [Test]
    public void An_environment_variable_overrides_the_file_and_is_named_when_wrong()
    {
        var good = TestSite.Load(Valid, new Dictionary<string, string> { ["ENERGYHUB_Device__grid__PowerW"] = "99" });
        Assert.That(((FakeMeterOptions)good.Devices.Single(d => d.Id == "grid").Options).PowerW, Is.EqualTo(99));

        var errors = TestSite.Errors(Valid, new Dictionary<string, string> { ["ENERGYHUB_Device__grid__PowerW"] = "lots" });
        Assert.That(errors.Single(), Does.StartWith("environment variable ENERGYHUB_Device__grid__PowerW: [Device:grid] PowerW: 'lots' is not a number"));
    }

    [Test]
    public void Variables_without_a_section_separator_are_not_overrides()
    {
        var site = TestSite.Load(Valid, new Dictionary<string, string> { ["ENERGYHUB_CONFIG"] = "/etc/energyhub.ini" });
        Assert.That(site.Devices, Has.Count.EqualTo(2));
    }

    [Test]
    public void Keyed_subsections_bind_with_every_check_a_section_gets()
    {
        var parts = Valid + "\n[Guard:left]\nWeight = 2.5\nMeter = grid\n[Guard:Right]\nWeight = 1\n";
        var guard = (GuardOptions)TestSite.Load(parts).Services.Single().Options;
        Assert.That(guard.Parts.ToDictionary(p => p.Key, p => (p.Value.Weight, p.Value.Meter)),
            Is.EqualTo(new Dictionary<string, (double, string)> { ["left"] = (2.5, "grid"), ["Right"] = (1, "") }));
        Assert.That(guard.Parts.ContainsKey("right"), Is.True, "keys are case-blind, as section names are");

        var errors = TestSite.Errors(Valid + "\n[Guard:left]\nWieght = 2.5\nMeter = roof\n");
        Assert.That(errors, Has.Some.Contains(":16: [Guard:left] Wieght: unknown key (did you mean 'Weight'?)"));
        Assert.That(errors, Has.Some.Contains("[Guard:left] Weight: missing required key"));
        Assert.That(errors, Has.Some.Contains(":17: [Guard:left] Meter: device 'roof' (driver fake-inverter"));
    }

    [Test]
    public void A_switched_off_service_is_checked_for_typos_but_not_for_required_keys()
    {
        var off = Valid.Replace("Guard = true", "Guard = false", StringComparison.Ordinal).Replace("Inverter = roof", "", StringComparison.Ordinal);
        Assert.That(TestSite.Load(off).Services, Is.Empty);

        var typo = off.Replace("Count = 3", "Cuont = 3", StringComparison.Ordinal);
        Assert.That(TestSite.Errors(typo).Single(), Does.Contain("[Guard] Cuont: unknown key (did you mean 'Count'?)"));
    }

    [Test]
    public void A_missing_file_says_where_to_start()
    {
        var ex = Assert.Throws<EnergyHub.Core.Config.ConfigException>(() => EnergyHub.Core.Config.ConfigDocument.Load("/nonexistent/config.ini"));
        Assert.That(ex!.Errors.Single().ToString(), Does.Contain("file not found").And.Contain("config/energyhub.ini"));
    }

    [Test]
    public void Keys_are_listed_base_class_first()
    {
        var keys = EnergyHub.Core.Config.OptionsBinder.Keys(typeof(FakeMeterOptions)).Select(p => p.Name).ToList();
        Assert.That(keys[0], Is.EqualTo(nameof(DeviceOptions.Driver)));
        Assert.That(keys[^1], Is.EqualTo(nameof(FakeMeterOptions.PowerW)));
        Assert.That(keys, Does.Not.Contain(nameof(DeviceOptions.EffectiveStaleAfter)));
    }

    private const string ThreeDevices = """
        [Device:grid]
        Driver = fake-meter
        [Device:roof]
        Driver = fake-inverter
        [Device:heater]
        Driver = fake-relay
        """;

    private static IReadOnlyList<string> CommandingErrors(string text)
    {
        var catalog = TestSite.Catalog();
        Assert.That(catalog.Register(new CommandingPlugin(), "CommandingPlugin", "1.0", "test"), Is.Null);
        try
        {
            SiteConfigValidator.Validate(ConfigDocument.Load(TestSite.WriteConfig(text), new System.Collections.Hashtable()), catalog);
            return [];
        }
        catch (ConfigException ex)
        {
            return ex.Errors.Select(e => e.ToString()).ToList();
        }
    }

    [Test]
    public void Two_services_may_share_a_cap_but_not_a_command_where_the_lowest_ask_cannot_win()
    {
        var shared = CommandingErrors(ThreeDevices + "\n[Services]\nLimiter = true\nHeater = true\n[Limiter]\nLimits = roof\n[Heater]\nLimits = roof\n");
        var fight = CommandingErrors(ThreeDevices + "\n[Services]\nHeater = true\nPool = true\n[Heater]\nAllows = heater\n[Pool]\nAllows = heater\n");

        Assert.That(shared, Is.Empty, "an active power limit is a cap: the lowest ask wins");
        Assert.That(fight, Has.Some.Contains("[Pool] Allows: Heater already sends SetAllowance to 'heater': two services would fight over it"));
    }

    [Test]
    public void A_command_sent_to_a_device_without_its_ability_is_refused_naming_the_devices_that_have_it()
    {
        var errors = CommandingErrors(ThreeDevices + "\n[Services]\nHeater = true\n[Heater]\nAllows = grid\n");
        Assert.That(errors, Has.Some.Contains("[Heater] Allows: Heater sends SetAllowance to 'grid', but driver fake-meter has no IConsumer. Allowed: heater."));
    }

    [Test]
    public void Keyed_subsections_naming_devices_own_the_commands_each_device_can_take()
    {
        var ok = CommandingErrors(ThreeDevices + "\n[Services]\nSharer = true\n[Sharer:heater]\nWeight = 1\n");
        var wrong = CommandingErrors(ThreeDevices + "\n[Services]\nSharer = true\n[Sharer:grid]\nWeight = 1\n[Sharer:nowhere]\nWeight = 1\n");
        var fight = CommandingErrors(ThreeDevices + "\n[Services]\nSharer = true\nPool = true\n[Sharer:heater]\nWeight = 1\n[Pool]\nAllows = heater\n");

        Assert.That(ok, Is.Empty, "the relay takes an allowance; that it has no switch is fine");
        Assert.That(wrong, Has.Some.Contains("[Sharer:grid]: Sharer sends commands to 'grid', but driver fake-meter has no IConsumer or ISwitch. Allowed: heater."));
        Assert.That(wrong, Has.Some.Contains("[Sharer:nowhere]: device 'nowhere' does not exist"));
        Assert.That(wrong.Count(e => e.Contains("'grid'", StringComparison.Ordinal)), Is.EqualTo(1), "one line per device, not per command");
        Assert.That(fight, Has.Some.Contains("[Sharer:heater]: Pool already sends SetAllowance to 'heater': two services would fight over it"));
    }

    [Test]
    public void Inheriting_subsections_start_from_the_section_s_values_claim_their_own_devices_and_refuse_the_service_s_keys()
    {
        const string Heater2 = "\n[Device:heater2]\nDriver = fake-relay\n";
        var catalog = TestSite.Catalog();
        Assert.That(catalog.Register(new CommandingPlugin(), "CommandingPlugin", "1.0", "test"), Is.Null);
        var config = SiteConfigValidator.Validate(ConfigDocument.Load(TestSite.WriteConfig(ThreeDevices + Heater2
            + "\n[Services]\nCharging = true\n[Charging]\nAllows = heater\nMeter = grid\nWeight = 2\n[Charging:garage]\nAllows = heater2\n"),
            new System.Collections.Hashtable()), catalog);
        var garage = ((InheritingOptions)config.Services.Single().Options).More["garage"];
        Assert.That((garage.Allows, garage.Meter, garage.Weight), Is.EqualTo(("heater2", "grid", 2.0)));

        var serviceKey = CommandingErrors(ThreeDevices + Heater2 + "\n[Services]\nCharging = true\n[Charging]\nAllows = heater\n[Charging:garage]\nAllows = heater2\nInterval = 1s\n");
        var wrong = CommandingErrors(ThreeDevices + "\n[Services]\nCharging = true\n[Charging]\nAllows = heater\n[Charging:garage]\nAllows = grid\n");
        var fight = CommandingErrors(ThreeDevices + Heater2 + "\n[Services]\nPool = true\nCharging = true\n[Pool]\nAllows = heater2\n[Charging]\nAllows = heater\n[Charging:garage]\nAllows = heater2\n");
        Assert.That(serviceKey, Has.Some.Contains("[Charging:garage] Interval: is a key of the whole service, not of one subsection. Allowed: set it in [Charging]."));
        Assert.That(wrong, Has.Some.Contains("[Charging:garage] Allows: device 'grid' (driver fake-meter, which can play IMeter) is not an IConsumer"));
        Assert.That(fight, Has.Some.Contains("[Charging:garage] Allows: Pool already sends SetAllowance to 'heater2': two services would fight over it"));
    }

    [Test]
    public void Two_services_that_would_set_what_one_device_draws_with_different_commands_are_refused()
    {
        var fight = CommandingErrors(ThreeDevices + "\n[Services]\nSharer = true\nHeater = true\n[Sharer:heater]\nWeight = 1\n[Heater]\nSwitches = heater\n");
        var alone = CommandingErrors(ThreeDevices + "\n[Services]\nHeater = true\n[Heater]\nSwitches = heater\nAllows = heater\n");
        Assert.That(fight, Has.Exactly(1).Contains("[Sharer:heater]: Heater already sets what 'heater' draws (SetSwitch); Sharer would fight it with SetAllowance. " +
            "Allowed: one service per device: leave 'heater' to Heater or to Sharer."), "one line for the fight, not one per command");
        Assert.That(fight, Has.Count.EqualTo(1));
        Assert.That(alone, Is.Empty, "one service may both allow and switch its own device");
    }
}
