using System.Net;
using System.Net.Sockets;

namespace EnergyHub.Tests;

/// <summary>Start-up problems a user meets first: each is one clear line and exit code 2, before anything is written.</summary>
public sealed class StartupProblemsTests
{
    private static string Demo => Path.Combine(EnergyHubCli.RepoRoot, "config", "demo.ini");

    private static string TempDir() => Directory.CreateTempSubdirectory("energyhub-startup-").FullName;

    private static string[] Lines(string text) => text.Trim().ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Test]
    public async Task A_busy_web_port_is_one_line_naming_the_port_and_nothing_is_written()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var data = TempDir();
        using var cli = EnergyHubCli.Start(["run", "--config", Demo], environment: new Dictionary<string, string>
        {
            ["ENERGYHUB_Common__DataDir"] = data,
            ["ENERGYHUB_Web__Port"] = port,
        });

        var code = await cli.WaitForExit(TimeSpan.FromMinutes(1));

        Assert.That(code, Is.EqualTo(2), "a restart cannot help; exit 2 stops systemd's restart loop");
        var all = cli.Out + cli.Err;
        Assert.That(cli.Err, Does.Contain($"port {port} on 127.0.0.1 is already in use").And.Contain("[Web] Port").And.Contain("ENERGYHUB_Web__Port"),
            "on stderr, where config errors go too");
        Assert.That(all, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(Lines(all), Has.Length.LessThanOrEqualTo(2), "the start line and the problem");
        Assert.That(File.Exists(Path.Combine(data, "journal.db")), Is.False, "nothing was written into the journal");
    }

    [Test]
    public async Task An_unwritable_data_or_log_folder_is_one_line_each_in_check_config_and_run()
    {
        var dir = TempDir();
        var blocker = Path.Combine(dir, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder");
        var environment = new Dictionary<string, string>
        {
            ["ENERGYHUB_Common__DataDir"] = Path.Combine(blocker, "data"),
            ["ENERGYHUB_Logging__Dir"] = Path.Combine(blocker, "logs"),
            ["ENERGYHUB_Web__Port"] = "0",
        };

        using var check = EnergyHubCli.Start(["check-config", Demo], environment: environment);
        var checkCode = await check.WaitForExit(TimeSpan.FromMinutes(1));
        using var run = EnergyHubCli.Start(["run", "--config", Demo], environment: environment);
        var runCode = await run.WaitForExit(TimeSpan.FromMinutes(1));

        Assert.That(checkCode, Is.EqualTo(2), check.Out);
        Assert.That(check.Err, Does.Contain($"[Common] DataDir: cannot create or write the folder {blocker}/data")
            .And.Contain($"[Logging] Dir: cannot create or write the folder {blocker}/logs"));
        Assert.That(Lines(check.Err), Has.Length.EqualTo(3), "one line per folder and the summary");
        Assert.That(runCode, Is.EqualTo(2), run.Out + run.Err);
        Assert.That(run.Err, Does.Contain("[Common] DataDir: cannot create or write").And.Not.Contain("FileNotFoundException"));
    }

    [Test]
    public async Task Under_systemd_the_state_and_logs_directories_are_the_defaults()
    {
        var dir = TempDir();
        var config = Path.Combine(dir, "etc", "config.ini");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        await File.WriteAllTextAsync(config, "[Device:site]\nDriver = sim-site\n");
        using var check = EnergyHubCli.Start(["check-config", config], environment: new Dictionary<string, string>
        {
            ["STATE_DIRECTORY"] = Path.Combine(dir, "state"),
            ["LOGS_DIRECTORY"] = Path.Combine(dir, "logs"),
        });
        Assert.That(await check.WaitForExit(TimeSpan.FromMinutes(1)), Is.Zero, check.Err);
        Assert.That(Directory.Exists(Path.Combine(dir, "state")) || Directory.Exists(Path.Combine(dir, "logs")) || Directory.Exists(Path.Combine(dir, "etc", "data")),
            Is.False, "check-config creates nothing");

        // The folders checked are systemd's: one under a file is refused by name.
        var blocker = Path.Combine(dir, "a-file");
        await File.WriteAllTextAsync(blocker, "");
        using var blocked = EnergyHubCli.Start(["check-config", config], environment: new Dictionary<string, string>
        {
            ["STATE_DIRECTORY"] = Path.Combine(blocker, "state"),
            ["LOGS_DIRECTORY"] = Path.Combine(dir, "logs"),
        });
        Assert.That(await blocked.WaitForExit(TimeSpan.FromMinutes(1)), Is.EqualTo(2));
        Assert.That(blocked.Err, Does.Contain($"cannot create or write the folder {blocker}/state ({blocker} is a file, not a folder)"));
    }

    [Test]
    public void The_shipped_systemd_unit_verifies_where_systemd_analyze_exists()
    {
        var unit = Path.Combine(EnergyHubCli.RepoRoot, "samples", "systemd", "energyhub.service");
        var text = File.ReadAllText(unit);
        Assert.That(text, Does.Contain("StateDirectory=energyhub").And.Contain("LogsDirectory=energyhub"));
        Assert.That(text, Does.Not.Contain("ENERGYHUB_Common__DataDir").And.Not.Contain("ENERGYHUB_Logging__Dir"), "the unit relies on the defaults, not on paths of its own");
        Assert.That(text, Does.Contain("Type=notify").And.Contain("WatchdogSec="));
        Assert.That(text, Does.Contain("ExecStopPost=").And.Contain("safe-state"), "a killed daemon's devices are put into their safe states");
        if (!File.Exists("/usr/bin/systemd-analyze"))
        {
            Assert.Ignore("systemd-analyze is not installed here; the unit's keys were checked by text only.");
        }
        using var verify = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("systemd-analyze", ["verify", unit])
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
        })!;
        var errors = verify.StandardError.ReadToEnd();
        verify.WaitForExit();
        Assert.That(errors, Does.Not.Contain("Unknown key").And.Not.Contain("Invalid"), errors);

        // The sandbox: systemd rates the unit's exposure from 0 (best) to 10; "OK" or better is asked for.
        using var security = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("systemd-analyze", ["security", "--offline=true", unit])
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
        })!;
        var report = security.StandardOutput.ReadToEnd() + security.StandardError.ReadToEnd();
        security.WaitForExit();
        var level = System.Text.RegularExpressions.Regex.Match(report, @"Overall exposure level for energyhub\.service: ([\d.]+) (\w+)");
        Assert.That(level.Success, Is.True, report);
        Assert.That(level.Groups[2].Value, Is.AnyOf("PERFECT", "SAFE", "OK"), report);
        Assert.That(text, Does.Contain("ProtectSystem=strict").And.Contain("SystemCallFilter=@system-service").And.Contain("DeviceAllow=char-hidraw rw"));
    }

    [TestCase("", "no [Device:<id>] section")]
    [TestCase("[Device:grid]\nDriver = sim-meter\nSite = site\n[Device:site]\nDriver = sim-site\n[Device:prices]\nDriver = amber\nApiKey = set-in-environment\n",
        "[Device:prices] ApiKey: 'set-in-environment' is a placeholder, not the secret. Allowed: the real value, best from the environment: ENERGYHUB_Device__prices__ApiKey=...")]
    public async Task Check_config_refuses_an_empty_file_and_placeholder_secrets_in_one_line(string text, string expected)
    {
        var path = Path.Combine(TempDir(), "config.ini");
        await File.WriteAllTextAsync(path, text);

        var (code, output, errors) = await EnergyHubCli.Run("check-config", path);

        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(Lines(errors), Has.Length.EqualTo(2), errors);
        Assert.That(Lines(errors)[0], Does.Contain(expected));
    }

    [Test]
    public async Task Check_config_says_what_a_binary_file_a_folder_and_no_argument_are()
    {
        var folder = TempDir();
        var binary = await EnergyHubCli.Run("check-config", "/bin/ls");
        var directory = await EnergyHubCli.Run("check-config", folder);
        var none = await EnergyHubCli.Run("check-config");

        Assert.That((binary.Code, directory.Code, none.Code), Is.EqualTo((2, 2, 2)));
        Assert.That(Lines(binary.Err)[0], Is.EqualTo("/bin/ls: is a binary file, not an INI text file. Allowed: a path to a config.ini; start from config/energyhub.ini, which documents every key."));
        Assert.That(Lines(binary.Err), Has.Length.EqualTo(2));
        Assert.That(Lines(directory.Err)[0], Does.StartWith($"{folder}: is a folder, not a config file."));
        Assert.That(Lines(none.Err), Has.Length.EqualTo(1));
        Assert.That(none.Err, Does.Contain("energyhub check-config config.ini"));
    }

    [Test]
    public async Task Checking_the_examples_leaves_the_repository_clean()
    {
        if (!Directory.Exists(Path.Combine(EnergyHubCli.RepoRoot, ".git")))
        {
            Assert.Ignore("not a git checkout");
        }
        var secrets = new Dictionary<string, string>
        {
            ["ENERGYHUB_Device__battery__AppSecret"] = "0123456789abcdef0123456789abcdef",
            ["ENERGYHUB_Device__prices__ApiKey"] = "psk_0123456789abcdef",
        };
        foreach (var example in Directory.GetFiles(Path.Combine(EnergyHubCli.RepoRoot, "config", "examples"), "*.ini"))
        {
            using var check = EnergyHubCli.Start(["check-config", example], environment: example.EndsWith("goodwe-amber-alphaess.ini", StringComparison.Ordinal) ? secrets : null);
            Assert.That(await check.WaitForExit(TimeSpan.FromMinutes(1)), Is.Zero, check.Err);
        }

        Assert.That(Git("status", "--porcelain", "--", "config"), Is.Empty, "run-time files (data, logs) never show up under config/");
        Assert.That(Git("ls-files", "--", "config/examples/logs"), Is.Empty, "no log file is tracked");
    }

    private static string Git(params string[] args)
    {
        using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", args)
        {
            WorkingDirectory = EnergyHubCli.RepoRoot, RedirectStandardError = true, RedirectStandardOutput = true,
        })!;
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        return output.Trim();
    }
}
