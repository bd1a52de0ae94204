using EnergyHub.TestSupport;
namespace EnergyHub.Tests;

public sealed class CliTests
{
    private static string Demo => File.ReadAllText(Path.Combine(EnergyHubCli.RepoRoot, "config", "demo.ini"));

    private static string WriteConfig(string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("energyhub-cli-").FullName, "config.ini");
        File.WriteAllText(path, text);
        return path;
    }

    private static int LineOf(string text, string part) =>
        text.ReplaceLineEndings("\n").Split('\n').ToList().FindIndex(l => l.Trim().StartsWith(part, StringComparison.Ordinal)) + 1;

    [Test]
    public async Task Version_prints_the_version()
    {
        var (code, output, _) = await EnergyHubCli.Run("--version");
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.StartWith("0.1.0"));
    }

    [TestCase("run", "--config")]
    [TestCase("check-config", "<file>")]
    [TestCase("plugins", "--plugin-dir")]
    [TestCase("devices", "--config")]
    [TestCase("prices", "--json")]
    [TestCase("plan", "--config")]
    [TestCase("simulate", "--compare")]
    [TestCase("goodwe", "probe")]
    [TestCase("axpert", "warnings")]
    public async Task Every_verb_has_help(string verb, string mentions)
    {
        var (code, output, _) = await EnergyHubCli.Run(verb, "--help");
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("Usage:").And.Contain(mentions));
    }

    [TestCase("config/demo.ini")]
    [TestCase("config/examples/export-guard-sim.ini")]
    [TestCase("config/examples/no-control-sim.ini")]
    [TestCase("config/examples/export-guard-emulated.ini")]
    [TestCase("config/examples/axpert-offgrid.ini")]
    [TestCase("config/examples/axpert-sim.ini")]
    [TestCase("config/fleet.ini")]
    public async Task The_shipped_configs_are_valid(string file)
    {
        var (code, output, errors) = await EnergyHubCli.Run("check-config", Path.Combine(EnergyHubCli.RepoRoot, file));
        Assert.That(code, Is.Zero, errors);
        Assert.That(output, Does.Contain(": OK,"));
    }

    [Test]
    public async Task Check_config_knows_a_fleet_file_and_names_what_a_fleet_file_cannot_have()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-fleet-check-").FullName;
        var path = Path.Combine(dir, "fleet.ini");
        await File.WriteAllTextAsync(path, "[Fleet]\nPrefix = energyhub\n[Services]\nExportGuard = true\n[Mqtt]\nHost = 127.0.0.1\n");

        var (code, _, errors) = await EnergyHubCli.Run("check-config", path);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("[Services]").And.Contain("a fleet file has no devices or services"));
    }

    [Test]
    public async Task Plan_prints_the_battery_plan_with_its_reasons_and_cost_and_says_what_to_do_without_the_service()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-plan-").FullName;
        var text = await File.ReadAllTextAsync(Path.Combine(EnergyHubCli.RepoRoot, "config", "examples", "battery-scheduler-sim.ini"));
        var config = Path.Combine(dir, "battery.ini");
        await File.WriteAllTextAsync(config, text.Replace("DataDir = ../../data/battery-scheduler-sim", "DataDir = data", StringComparison.Ordinal)
            .Replace("PriceFile = pse-like-day-prices.csv", $"PriceFile = {Path.Combine(EnergyHubCli.RepoRoot, "config", "examples", "pse-like-day-prices.csv")}", StringComparison.Ordinal));

        var table = await EnergyHubCli.Run("plan", "--config", config);
        var json = await EnergyHubCli.Run("plan", "--config", config, "--json");
        var without = await EnergyHubCli.Run("plan", "--config", Path.Combine(EnergyHubCli.RepoRoot, "config", "examples", "no-control-sim.ini"));
        var narrow = await EnergyHubCli.Run(["plan", "--config", config], new Dictionary<string, string> { ["COLUMNS"] = "100" });

        Assert.That(table.Code, Is.Zero, table.Err);
        // What the plan does depends on the hour it runs at (the simulated PV now, no history): its shape does not.
        Assert.That(table.Out, Does.Contain("Local time").And.Contain("Why").And.Contain("State of charge").And.Contain("Expected cost:"));
        Assert.That(Enum.GetNames<EnergyHub.Services.BatteryScheduler.PlannedAction>().Any(action => table.Out.Contains($" {action} ", StringComparison.Ordinal)), Is.True,
            "every slot names its action");
        Assert.That(json.Code, Is.Zero, json.Err);
        var plan = System.Text.Json.JsonDocument.Parse(json.Out).RootElement;
        Assert.That(plan.GetProperty("slots").GetArrayLength(), Is.GreaterThan(10));
        Assert.That(plan.GetProperty("planCost").GetDouble(), Is.LessThanOrEqualTo(plan.GetProperty("selfConsumptionCost").GetDouble()), "the plan never costs more than doing nothing");
        Assert.That(plan.GetProperty("slots")[0].GetProperty("why").GetString(), Is.Not.Empty);
        Assert.That(narrow.Code, Is.Zero, narrow.Err);
        Assert.That(narrow.Out.Split('\n').Max(l => l.TrimEnd('\r').Length), Is.LessThanOrEqualTo(100), "at 100 columns:\n" + narrow.Out);
        var lines = narrow.Out.Split('\n');
        static bool Figures(string line) => System.Text.RegularExpressions.Regex.IsMatch(line, @"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d:\d\d  ");
        Assert.That(lines.Count(Figures), Is.GreaterThan(10), "a line of figures per slot:\n" + narrow.Out);
        Assert.That(lines.Zip(lines.Skip(1)).Where(p => Figures(p.First)).All(p => p.Second.StartsWith("           ", StringComparison.Ordinal) && p.Second.Trim().Length > 0),
            Is.True, "each slot's reason on the lines below its figures:\n" + narrow.Out);
        Assert.That((without.Code, without.Err.Trim()), Is.EqualTo((2, $"{Path.Combine(EnergyHubCli.RepoRoot, "config", "examples", "no-control-sim.ini")}: [Services] BatteryScheduler is not on: " +
            "set BatteryScheduler = true and name Battery, Prices and GridMeter in [BatteryScheduler].")));
    }

    [Test]
    public async Task The_wrapper_in_the_clone_runs_the_built_command()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Path.Combine(EnergyHubCli.RepoRoot, "energyhub"), "--version")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath(),
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.That(process.ExitCode, Is.Zero, errors);
        Assert.That(output.Trim(), Does.Match(@"^\d+\.\d+\.\d+"), "the version, from any folder");
    }

    [Test]
    public async Task The_documented_template_passes_check_config_as_the_README_tells_users_to_copy_it()
    {
        var (code, output, errors) = await EnergyHubCli.Run("check-config", Path.Combine(EnergyHubCli.RepoRoot, "config", "energyhub.ini"));
        Assert.That((code, errors), Is.EqualTo((0, "")));
        Assert.That(output, Does.Contain("OK, 2 device(s) (site: sim-site, grid: sim-meter), no service on."));
    }

    [Test]
    public async Task Check_config_creates_and_writes_nothing()
    {
        var folder = Directory.CreateTempSubdirectory("energyhub-check-nothing-").FullName;
        var path = Path.Combine(folder, "config.ini");
        File.WriteAllText(path, Demo.Replace("DataDir = ../data/demo", "DataDir = site-data", StringComparison.Ordinal));
        var before = Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories);
        var temp = Directory.GetDirectories(Path.GetTempPath(), "energyhub-check-*").Length;

        var (code, _, errors) = await EnergyHubCli.Run("check-config", path);

        Assert.That(code, Is.Zero, errors);
        Assert.That(Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories), Is.EqualTo(before), "no DataDir, no logs folder");
        Assert.That(Directory.GetDirectories(Path.GetTempPath(), "energyhub-check-*"), Has.Length.EqualTo(temp), "the scratch folder is removed");
    }

    [Test]
    public async Task A_key_renamed_to_the_one_staleness_convention_is_read_under_its_new_name_and_check_config_says_what_to_rename()
    {
        var text = Demo.Replace("StaleAfter = 3m\nPricesStaleAfter = 15m", "TelemetryMaxAge = 4m\nPriceMaxAge = 15m", StringComparison.Ordinal);
        Assert.That(text, Does.Contain("TelemetryMaxAge = 4m"), "the demo's [ExportGuard] as this test expects it");
        var path = WriteConfig(text);

        var (code, output, errors) = await EnergyHubCli.Run("check-config", path);
        var (_, shown, _) = await EnergyHubCli.Run("plugins", "--options", "ExportGuard");

        Assert.That(code, Is.Zero, errors);
        Assert.That(output, Does.Contain($"warning: {path}:{LineOf(text, "TelemetryMaxAge")}: [ExportGuard] TelemetryMaxAge: is now called StaleAfter, and read as that. Allowed: StaleAfter = 4m."));
        Assert.That(output, Does.Contain("[ExportGuard] PriceMaxAge: is now called PricesStaleAfter"));
        Assert.That(shown, Does.Contain("StaleAfter").And.Not.Contain("TelemetryMaxAge"));
    }

    [Test]
    public async Task Check_config_refuses_a_service_that_would_count_a_device_s_readings_as_missing_between_two_reads()
    {
        var text = Demo.Replace("PollInterval = 5m", "PollInterval = 15m", StringComparison.Ordinal);
        var path = WriteConfig(text);

        var (code, _, errors) = await EnergyHubCli.Run("check-config", path);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors.Trim().Split('\n'), Has.Length.EqualTo(2), "BatteryScheduler's 5 min only: ExportGuard's PricesStaleAfter is 15 min");
        Assert.That(errors.Trim().Split('\n')[0], Is.EqualTo($"{path}:{LineOf(text, "[BatteryScheduler]")}: [BatteryScheduler] StaleAfter: 5m is shorter than how often " +
            "prices is read (PollInterval = 15m in [Device:prices]): its readings would count as missing between two reads. " +
            "Allowed: at least 15m, or a shorter PollInterval for prices."));
    }

    [Test]
    public async Task Check_config_refuses_the_MQTT_exporter_without_a_broker_in_one_line()
    {
        var path = WriteConfig("""
            [Services]
            MqttExporter = true
            [Device:site]
            Driver = sim-site
            [Device:grid]
            Driver = sim-meter
            Site = site
            """);

        var (code, _, errors) = await EnergyHubCli.Run("check-config", path);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors.Trim().Split('\n')[0], Is.EqualTo($"{path}:2: [Services] MqttExporter: MqttExporter publishes to the site's MQTT broker, but [Mqtt] is not enabled. " +
            "Allowed: Enabled = true and Host in [Mqtt], or MqttExporter = false in [Services]."));
    }

    [Test]
    public async Task Check_config_warns_when_the_api_is_open_to_the_network_without_a_key()
    {
        var path = WriteConfig(Demo);
        var (open, openOutput, _) = await EnergyHubCli.Run(["check-config", path], new Dictionary<string, string> { ["ENERGYHUB_Web__Address"] = "0.0.0.0" });
        var (keyed, keyedOutput, _) = await EnergyHubCli.Run(["check-config", path],
            new Dictionary<string, string> { ["ENERGYHUB_Web__Address"] = "0.0.0.0", ["ENERGYHUB_Web__ApiKey"] = "a-long-key" });

        Assert.That(open, Is.Zero, "a warning, not an error");
        Assert.That(openOutput, Does.Contain("warning: [Web] Address = 0.0.0.0 opens the API to the network without a key"));
        Assert.That(keyed, Is.Zero);
        Assert.That(keyedOutput, Does.Not.Contain("warning"));
    }

    [Test]
    public async Task Check_config_warns_when_settings_are_taken_over_mqtt_from_a_broker_without_credentials()
    {
        var path = WriteConfig(Demo);
        var mqtt = new Dictionary<string, string> { ["ENERGYHUB_Mqtt__Enabled"] = "true", ["ENERGYHUB_Mqtt__Host"] = "127.0.0.1", ["ENERGYHUB_Mqtt__AcceptSettings"] = "true" };
        var (open, openOutput, _) = await EnergyHubCli.Run(["check-config", path], mqtt);
        var (withUser, userOutput, _) = await EnergyHubCli.Run(["check-config", path], new Dictionary<string, string>(mqtt) { ["ENERGYHUB_Mqtt__User"] = "energyhub" });
        var (readOnly, readOnlyOutput, _) = await EnergyHubCli.Run(["check-config", path], new Dictionary<string, string>(mqtt) { ["ENERGYHUB_Mqtt__AcceptSettings"] = "false" });

        Assert.That((open, withUser, readOnly), Is.EqualTo((0, 0, 0)), "warnings, not errors");
        Assert.That(openOutput, Does.Contain("warning: [Mqtt] AcceptSettings = true without User: anyone who reaches 127.0.0.1:1883 can change every service setting"));
        Assert.That(userOutput + readOnlyOutput, Does.Not.Contain("warning"));
    }

    // The acceptance cases: each broken demo.ini gives one precise line and exit code 2.
    [TestCase("Driver = sim-meter", "Driver = sim-metre",
        "[Device:grid] Driver: unknown driver 'sim-metre' (did you mean 'sim-meter'?). Allowed: alphaess, amber, axpert, goe, goodwe, http-consumer, mqtt-consumer, mqtt-inverter, mqtt-meter, mqtt-scripted-consumer, mqtt-sensor, pse, shelly, sim-battery, sim-inverter, sim-meter, sim-prices, sim-relay, sim-site, sim-wallbox.")]
    [TestCase("Driver = sim-meter", "",
        "[Device:grid] Driver: missing required key. Allowed: Driver = one of alphaess, amber, axpert, goe, goodwe, http-consumer, mqtt-consumer, mqtt-inverter, mqtt-meter, mqtt-scripted-consumer, mqtt-sensor, pse, shelly, sim-battery, sim-inverter, sim-meter, sim-prices, sim-relay, sim-site, sim-wallbox.")]
    [TestCase("PvKwp = 7", "PvKwp = 7kWp",
        "[Device:site] PvKwp: '7kWp' is not a number. Allowed: a number with . as the decimal point and no unit, e.g. 4500 or -0.25.")]
    [TestCase("Devices = grid,", "Devices = gird,",
        "[ReadingLogger] Devices: device 'gird' does not exist (did you mean 'grid'?). Allowed: ids of [Device:<id>] sections: site, inverter, grid, battery, prices, ev, heater.")]
    public async Task Check_config_names_file_line_section_key_and_exits_2(string find, string replace, string expected)
    {
        var text = Demo.Replace(find, replace, StringComparison.Ordinal);
        var path = WriteConfig(text);
        var line = replace.Length == 0 ? LineOf(text, "[Device:grid]") : LineOf(text, replace);

        var (code, output, errors) = await EnergyHubCli.Run("check-config", path);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        var lines = errors.Trim().Split('\n');
        Assert.That(lines[0], Is.EqualTo($"{path}:{line}: {expected}"));
        Assert.That(lines[^1], Does.Contain("nothing was started"));
    }

    [Test]
    public async Task Check_config_refuses_a_role_the_device_cannot_play_as_configured_in_one_line_naming_the_roles_it_plays()
    {
        var path = WriteConfig("""
            [Services]
            ExportGuard = true
            [Device:roof]
            Driver = goodwe
            Host = 127.0.0.1
            Model = Dt
            [Device:prices]
            Driver = amber
            ApiKey = psk_test
            [ExportGuard]
            Inverter = roof
            Battery = roof
            GridMeter = roof
            Prices = prices
            """);

        var (code, output, errors) = await EnergyHubCli.Run("check-config", path);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        var lines = errors.Trim().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(2), errors);
        Assert.That(lines[0], Does.Contain("[ExportGuard] Battery: ExportGuard names 'roof' as IBattery, but as configured it has no IBattery " +
            "(it plays IActivePowerLimiter, IInverter, IMeter, ISafeState)"));
    }

    [Test]
    public async Task Plugins_shows_every_key_of_a_driver_or_service_with_its_default_range_and_doc_comment_and_hides_secrets()
    {
        var (guard, guardOut, guardErr) = await EnergyHubCli.Run("plugins", "--options", "ExportGuard");
        var (amber, amberOut, _) = await EnergyHubCli.Run("plugins", "--options", "amber");
        var (unknown, _, unknownErr) = await EnergyHubCli.Run("plugins", "--options", "nope");

        Assert.That(guard, Is.Zero, guardErr);
        Assert.That(guardOut, Does.Contain("Keys of [ExportGuard]").And.Contain("Inverter (required)")
            .And.Contain("Why RatedPowerW differs from what the inverter reports").And.Contain("SiteCycle"));
        Assert.That(amber, Is.Zero);
        Assert.That(amberOut, Does.Contain("ApiKey (required)").And.Contain("(secret)").And.Contain("https://api.amber.com.au/v1/"));
        Assert.That(unknown, Is.EqualTo(2));
        Assert.That(unknownErr, Does.Contain("No driver or service 'nope'. Drivers: alphaess, amber"));
    }

    [Test]
    public async Task Run_logs_readings_every_interval_and_stops_cleanly_on_ctrl_c()
    {
        var data = Directory.CreateTempSubdirectory("energyhub-run-").FullName;
        using var cli = EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: new Dictionary<string, string>
        {
            ["ENERGYHUB_Common__DataDir"] = data,
            ["ENERGYHUB_Logging__Dir"] = Path.Combine(data, "logs"),
            ["ENERGYHUB_ReadingLogger__Interval"] = "1s",
            ["ENERGYHUB_ReadingLogger__InformationEvery"] = "1s",
            ["ENERGYHUB_Common__Speed"] = "1",
            ["ENERGYHUB_Web__Port"] = "0",
        });
        await cli.WaitForOutput("Started 5 service(s): ReadingLogger", TimeSpan.FromSeconds(30));
        await cli.WaitForOutput("grid: Online", TimeSpan.FromSeconds(10));
        int Lines() => cli.Out.Split('\n').Count(l => l.Contains("ReadingLogger: grid: Online", StringComparison.Ordinal));
        var ticks = Lines();
        await Eventually.Until(() => Lines() >= ticks + 2, "two more of ReadingLogger's 1 s lines", TimeSpan.FromSeconds(15));

        cli.Interrupt();
        var code = await cli.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.That(cli.Out, Does.Contain("Meter.PowerW="));
        Assert.That(code, Is.Zero, cli.Err);
        Assert.That(cli.Out, Does.Contain("Service ReadingLogger restored its safe state").And.Contain("EnergyHub stopped"));
        Assert.That(File.ReadAllText(Path.Combine(data, "logs", "energyhub.log")), Does.Contain("ReadingLogger"), "the log file is written too");
    }

    [Test]
    public async Task Run_without_a_config_runs_the_embedded_demo_and_says_so_first()
    {
        var empty = Directory.CreateTempSubdirectory("energyhub-nocfg-").FullName;
        using var cli = EnergyHubCli.Start(["run"], workingDirectory: empty, environment: new Dictionary<string, string> { ["ENERGYHUB_Web__Port"] = "0" });
        await cli.WaitForOutput("Started 5 service(s)", TimeSpan.FromSeconds(30));
        cli.Interrupt();
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero);

        var first = cli.Out.Split('\n')[0];
        Assert.That(first, Does.Contain("No --config, $ENERGYHUB_CONFIG or ./config.ini: running the simulated demo site"));
    }

    [Test]
    public async Task Devices_reads_every_device_once_and_prints_values_with_units()
    {
        var (code, output, errors) = await EnergyHubCli.Run("devices", "--config", Path.Combine(EnergyHubCli.RepoRoot, "config", "demo.ini"));
        Assert.That(code, Is.Zero, errors);
        Assert.That(output, Does.Contain("grid").And.Contain("sim-meter").And.Contain("Meter.PowerW").And.Contain("Meter.L1.VoltageV"));
        Assert.That(output, Does.Match(@"Meter\.L1\.VoltageV\s*│\s*230\s*│\s*V"));
    }

    [Test]
    public async Task Piped_output_has_no_colour_codes_even_without_no_color()
    {
        using var cli = EnergyHubCli.Start(["devices", "--config", Path.Combine(EnergyHubCli.RepoRoot, "config", "demo.ini")], environment: new Dictionary<string, string> { ["NO_COLOR"] = "" });
        Assert.That(await cli.WaitForExit(TimeSpan.FromMinutes(1)), Is.Zero, cli.Err);
        Assert.That(cli.Out, Does.Contain("Meter.PowerW").And.Not.Contain("\u001b["));
    }

    [Test]
    public async Task Plugins_lists_the_simulator_and_the_built_in_services()
    {
        var (code, output, _) = await EnergyHubCli.Run("plugins");
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("EnergyHub.Plugins.Simulator").And.Contain("sim-meter").And.Contain("ReadingLogger"));
    }

    [Test]
    public async Task Plugins_piped_with_COLUMNS_fits_them_and_keeps_each_plugin_name_whole()
    {
        var (code, output, errors) = await EnergyHubCli.Run(["plugins"], new Dictionary<string, string> { ["COLUMNS"] = "100" });

        Assert.That(code, Is.Zero, errors);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("Searched: ", StringComparison.Ordinal)).ToList();
        Assert.That(lines.Max(l => l.TrimEnd('\r').Length), Is.LessThanOrEqualTo(100), output);
        Assert.That(output, Does.Contain("EnergyHub.Plugins.Simulator").And.Contain("EnergyHub.Services"), "a plugin's name is not broken over two lines");
    }

    [Test]
    public async Task A_broken_plugin_beside_a_good_one_is_reported_and_skipped()
    {
        var plugins = Directory.CreateTempSubdirectory("energyhub-drop-").FullName;
        var broken = Directory.CreateDirectory(Path.Combine(plugins, "Broken")).FullName;
        await File.WriteAllTextAsync(Path.Combine(broken, "Broken.dll"), "not an assembly");

        var (code, output, _) = await EnergyHubCli.Run("plugins", "--plugin-dir", plugins);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("sim-meter"));
        Assert.That(output, Does.Contain("Skipped").And.Contain("Broken.dll is not a .NET assembly"));
    }
}
