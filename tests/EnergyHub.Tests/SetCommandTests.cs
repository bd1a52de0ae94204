using System.Text.RegularExpressions;

namespace EnergyHub.Tests;

/// <summary><c>energyhub set</c> against a running demo: a setting changed from the shell is applied and journaled; a bad one is refused with the reason.</summary>
public sealed class SetCommandTests
{
    [Test]
    public async Task A_setting_changed_from_the_shell_reaches_the_running_site_with_the_generated_key()
    {
        var environment = new Dictionary<string, string>
        {
            ["ENERGYHUB_Common__DataDir"] = Directory.CreateTempSubdirectory("energyhub-set-").FullName,
            ["ENERGYHUB_Logging__Dir"] = "",
            ["ENERGYHUB_Web__Port"] = "0",
        };
        using var daemon = EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: environment);
        await daemon.WaitForOutput("The live page and API are on", TimeSpan.FromSeconds(30));
        var address = Regex.Match(daemon.Out, @"The live page and API are on ""?(http://[^\s""]+)").Groups[1].Value;

        var set = await EnergyHubCli.Run(["set", "BatteryScheduler", "ChargeNowToPct", "99", "--config", "config/demo.ini", "--url", address], environment);
        var refused = await EnergyHubCli.Run(["set", "BatteryScheduler", "ChargeNowToPct", "150", "--config", "config/demo.ini", "--url", address], environment);
        var wrongKey = await EnergyHubCli.Run(["set", "BatteryScheduler", "ChargeNowToPct", "50", "--config", "config/demo.ini", "--url", address],
            new Dictionary<string, string>(environment) { ["ENERGYHUB_Web__ApiKey"] = "not-the-key-of-this-site" });
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var events = await http.GetStringAsync("/api/events?service=BatteryScheduler&limit=1000");

        Assert.That((set.Code, set.Out.Trim()), Is.EqualTo((0, "BatteryScheduler ChargeNowToPct = 99: applied and journaled.")), set.Err);
        Assert.That(events, Does.Contain("setting_changed").And.Contain("ChargeNowToPct"), "journaled as a change from the web API");
        Assert.That((refused.Code, refused.Err), Is.EqualTo((2, refused.Err)));
        Assert.That(refused.Err, Does.Contain("BatteryScheduler ChargeNowToPct = 150 was refused").And.Contain("is not a number from 0 to 100"));
        Assert.That((wrongKey.Code, wrongKey.Err), Is.EqualTo((1, wrongKey.Err)));
        Assert.That(wrongKey.Err, Does.Contain("refused the key"));

        daemon.Interrupt();
        Assert.That(await daemon.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, daemon.Err);
    }

    [Test]
    public async Task Without_a_running_site_it_says_what_to_start()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-set-none-").FullName;
        var environment = new Dictionary<string, string> { ["ENERGYHUB_Common__DataDir"] = dir, ["ENERGYHUB_Web__ApiKey"] = "a-key-of-sixteen-chars-or-more" };
        var port = EnergyHub.TestSupport.Peer.FreePort();

        var result = await EnergyHubCli.Run(["set", "BatteryScheduler", "ChargeNowToPct", "80", "--config", "config/demo.ini", "--url", $"http://127.0.0.1:{port}"], environment);
        var noKey = await EnergyHubCli.Run(["set", "BatteryScheduler", "ChargeNowToPct", "80", "--config", "config/demo.ini"], new Dictionary<string, string> { ["ENERGYHUB_Common__DataDir"] = dir });

        Assert.That(result.Code, Is.EqualTo(1));
        Assert.That(result.Err, Does.StartWith($"Nothing answers on http://127.0.0.1:{port}").And.Contain("is `energyhub run --config"));
        Assert.That(noKey.Code, Is.EqualTo(1));
        Assert.That(noKey.Err, Does.StartWith("No API key: `energyhub run` generates one into").And.Contain("or set [Web] ApiKey"));
    }
}
