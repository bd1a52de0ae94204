using EnergyHub.TestSupport;
using EnergyHub.Plugins.Simulator.Emulators;
using EnergyHub.Plugins.Simulator.Site;

namespace EnergyHub.Tests;

public sealed class GoodWeCommandTests
{
    [Test]
    public async Task Read_limit_and_probe_work_without_a_config_file()
    {
        var site = new SimulatedSite(new SiteOptions { Driver = "sim-site", UtcOffsetHours = 0 }, DateTimeOffset.UtcNow.Date.AddHours(12));
        await using var emulator = new GoodWeEmulator(site, TimeProvider.System, 0);
        var port = emulator.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var read = await EnergyHubCli.Run("goodwe", "read", "--host", "127.0.0.1", "--port", port, "--model", "Dt");
        var limit = await EnergyHubCli.Run("goodwe", "limit", "--host", "127.0.0.1", "--port", port, "--pct", "40");
        var probe = await EnergyHubCli.Run("goodwe", "probe", "--host", "127.0.0.1", "--port", port);
        var tooHigh = await EnergyHubCli.Run("goodwe", "limit", "--host", "127.0.0.1", "--port", port, "--pct", "140");

        Assert.That(read.Code, Is.Zero, read.Err);
        Assert.That(read.Out, Does.Contain("Inverter.AcPowerW").And.Contain("Inverter.ActivePowerLimitPct"));
        Assert.That(limit.Code, Is.Zero, limit.Err);
        Assert.That(limit.Out, Does.Contain("Limit set to 40 %").And.Contain("confirmed by reading it back"));
        Assert.That(probe.Out, Does.Contain("active power limit").And.Contain("answers 40"));
        Assert.That(tooHigh.Code, Is.EqualTo(2), "a bad argument, not a device failure");
        Assert.That(tooHigh.Err.Trim(), Is.EqualTo("--pct 140: a limit is 0–100 % of the rated output (100 = no limit); nothing was sent."));
        Assert.That(read.Out + probe.Out, Does.Not.Contain("\u001b["), "no colour codes in piped output");
    }

    [Test]
    public async Task The_example_installation_config_is_valid_once_its_secrets_come_from_the_environment()
    {
        var data = Directory.CreateTempSubdirectory("energyhub-example-").FullName;
        var example = Path.Combine(EnergyHubCli.RepoRoot, "config", "examples", "goodwe-amber-alphaess.ini");
        var environment = new Dictionary<string, string> { ["ENERGYHUB_Common__DataDir"] = data, ["ENERGYHUB_Logging__Dir"] = "" };
        using var placeholders = EnergyHubCli.Start(["check-config", example], environment: environment);
        var placeholderCode = await placeholders.WaitForExit(TimeSpan.FromMinutes(1));
        environment["ENERGYHUB_Device__battery__AppSecret"] = "0123456789abcdef0123456789abcdef";
        environment["ENERGYHUB_Device__prices__ApiKey"] = "psk_0123456789abcdef";
        using var cli = EnergyHubCli.Start(["check-config", example], environment: environment);
        var code = await cli.WaitForExit(TimeSpan.FromMinutes(1));

        Assert.That(placeholderCode, Is.EqualTo(2));
        Assert.That(placeholders.Err, Does.Contain("[Device:battery] AppSecret: 'set-in-environment' is a placeholder")
            .And.Contain("[Device:prices] ApiKey: 'set-in-environment' is a placeholder"));
        Assert.That(code, Is.Zero, cli.Err);
        Assert.That(cli.Out, Does.Contain("roof: goodwe").And.Contain("battery: alphaess").And.Contain("prices: amber"));
    }

    [Test]
    public async Task Probe_where_nothing_answers_says_so_and_exits_1()
    {
        var port = Peer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (code, _, errors) = await EnergyHubCli.Run("goodwe", "probe", "--host", "127.0.0.1", "--port", port);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(errors, Does.Contain($"Nothing answered on 127.0.0.1:{port}"));
    }
}
