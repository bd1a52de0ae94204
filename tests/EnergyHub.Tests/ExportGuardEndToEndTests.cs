using EnergyHub.TestSupport;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EnergyHub.Tests;

/// <summary>
/// The export guard end to end: <c>energyhub run</c> on config/examples/export-guard-emulated.ini, where the real
/// GoodWe, AlphaESS and Amber drivers talk Modbus TCP and HTTP to emulators of a simulated home at midday with a
/// nearly full battery while Amber's feed-in price is negative.
/// </summary>
public sealed partial class ExportGuardEndToEndTests
{
    private const double RatedW = 6000;

    [Test]
    public async Task The_emulated_inverter_follows_the_limit_the_guard_writes_and_export_stops()
    {
        var config = await EmulatedConfig();
        using var cli = EnergyHubCli.Start(["run", "--config", config], environment: new Dictionary<string, string>
        {
            ["ENERGYHUB_Common__Speed"] = "4",
            ["ENERGYHUB_Web__Port"] = "0",
        });
        await cli.WaitForOutput("The live page and API are on", TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri(PageAddress().Match(cli.Out).Groups[1].Value) };

        var followed = new List<Sample>();
        var commands = "";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (followed.Count < 20 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(0.5));
            var sent = JsonDocument.Parse(commands = await http.GetStringAsync("api/commands")).RootElement.EnumerateArray()
                .Where(c => c.GetProperty("source").GetString() == "ExportGuard" && c.GetProperty("status").GetString() == "Sent").ToList();
            var devices = JsonDocument.Parse(await http.GetStringAsync("api/state")).RootElement.GetProperty("devices");
            var roof = devices.GetProperty("roof");
            var firstLimit = sent.FirstOrDefault(c => c.GetProperty("reason").GetString() == "limiting");
            // Readings taken after the first limit was written (the one read at start-up shows the inverter unlimited).
            if (firstLimit.ValueKind == JsonValueKind.Object && roof.GetProperty("timestamp").ValueKind == JsonValueKind.String
                && roof.GetProperty("timestamp").GetDateTimeOffset() > firstLimit.GetProperty("time").GetDateTimeOffset()
                && Value(devices, "roof", "Inverter.ActivePowerLimitPct") is { } limit && Value(devices, "roof", "Inverter.AcPowerW") is { } ac
                && Value(devices, "battery", "Meter.PowerW") is { } grid)
            {
                var at = roof.GetProperty("timestamp").GetDateTimeOffset();
                if (followed.Count == 0 || followed[^1].At < at)
                {
                    followed.Add(new Sample(at, limit, ac, grid));
                }
            }
        }
        cli.Interrupt();
        var code = await cli.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.That(followed, Has.Count.EqualTo(20), $"the guard should limit on Amber's prices within 120 s. Output:\n{cli.Out}\n{cli.Err}");
        Assert.Multiple(() =>
        {
            // The inverter starts following 2 s after a write and ramps at 10 %/s: compare with the highest limit of the last 15 s.
            foreach (var sample in followed.Where(s => s.At >= followed[0].At.AddSeconds(15)))
            {
                var limit = followed.Where(s => s.At >= sample.At.AddSeconds(-15) && s.At <= sample.At).Max(s => s.Limit);
                Assert.That(sample.Ac, Is.LessThanOrEqualTo(limit / 100 * RatedW + 0.01 * RatedW),
                    $"output at {sample.At:HH:mm:ss} under limits up to {limit} %: {Series(followed)}; commands: {commands}");
            }
            Assert.That(followed.Max(f => f.Limit), Is.LessThan(70), "at midday the sun offers more than house and battery take");
            Assert.That(followed.Skip(10).Average(f => f.Grid), Is.GreaterThan(-250),
                "export held near zero once the controller has settled (AlphaESS meter, + import): " + Series(followed));
            Assert.That(code, Is.Zero, cli.Err);
            Assert.That(cli.Out, Does.Contain("from ExportGuard (stopped: limit lifted): Sent"), $"stopping lifts the limit. Output:\n{cli.Out}");
            Assert.That(cli.Out, Does.Not.Contain("Connection refused").And.Not.Contain("is Offline").And.Not.Contain("fail-safe"),
                "the emulators answer before the devices are first read");
        });
    }

    [Test]
    public async Task A_stop_while_the_inverter_hangs_exits_1_and_says_the_limit_was_not_lifted()
    {
        var config = await EmulatedConfig();
        var text = await File.ReadAllTextAsync(config);
        var roofPort = Regex.Match(text, @"\[Device:roof\][^\[]*?Port = (\d+)").Groups[1].Value;
        await using var link = new TestSupport.FaultyLink(int.Parse(roofPort, System.Globalization.CultureInfo.InvariantCulture));
        await File.WriteAllTextAsync(config, Regex.Replace(text, @"(\[Device:roof\][^\[]*?Port = )\d+", $"${{1}}{link.Port}"));
        using var cli = EnergyHubCli.Start(["run", "--config", config], environment: new Dictionary<string, string>
        {
            ["ENERGYHUB_Common__Speed"] = "4",
            ["ENERGYHUB_Web__Port"] = "0",
        });
        await cli.WaitForOutput("The live page and API are on", TimeSpan.FromSeconds(60));
        await cli.WaitForOutput("from ExportGuard (limiting): Sent", TimeSpan.FromSeconds(60));

        link.Fault = TestSupport.LinkFault.Hang;
        cli.Interrupt();
        var code = await cli.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.That(code, Is.EqualTo(1), "systemd's Restart=on-failure must see the failure:\n" + cli.Out);
        Assert.That(cli.Out + cli.Err, Does.Contain("Service ExportGuard did NOT restore its safe state").And.Contain("not every safe state was confirmed"));
        Assert.That(cli.Out, Does.Not.Contain("Service ExportGuard restored its safe state"));
    }

    [Test]
    public async Task Ctrl_c_as_soon_as_the_guard_has_limited_lifts_the_limit_even_while_still_starting()
    {
        using var cli = EnergyHubCli.Start(["run", "--config", await EmulatedConfig()], environment: new Dictionary<string, string> { ["ENERGYHUB_Web__Port"] = "0" });
        await cli.WaitForOutput("from ExportGuard (limiting): Sent", TimeSpan.FromSeconds(60));
        cli.Interrupt();
        var code = await cli.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.That(code, Is.Zero, cli.Out + cli.Err);
        Assert.That(cli.Out, Does.Contain("from ExportGuard (stopped: limit lifted): Sent").And.Contain("Service ExportGuard restored its safe state"));
    }

    /// <summary>config/examples/export-guard-emulated.ini on free ports, with its data in a temporary folder.</summary>
    internal static async Task<string> EmulatedConfig()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-guard-e2e-").FullName;
        var config = Path.Combine(dir, "guard.ini");
        var text = await File.ReadAllTextAsync(Path.Combine(EnergyHubCli.RepoRoot, "config", "examples", "export-guard-emulated.ini"));
        foreach (var port in new[] { "15020", "18083", "18081" })
        {
            text = text.Replace(port, Peer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        await File.WriteAllTextAsync(config, text.Replace("DataDir = ../../data/export-guard-emulated", $"DataDir = {dir}/data", StringComparison.Ordinal));
        return config;
    }

    private sealed record Sample(DateTimeOffset At, double Limit, double Ac, double Grid);

    private static string Series(IEnumerable<Sample> samples) =>
        string.Join(", ", samples.Select(s => $"{s.At:HH:mm:ss} {s.Limit} % {s.Ac} W grid {s.Grid} W"));

    private static double? Value(JsonElement devices, string device, string series) =>
        devices.GetProperty(device).GetProperty("values").EnumerateArray()
            .Where(v => v.GetProperty("series").GetString() == series).Select(v => (double?)v.GetProperty("value").GetDouble()).FirstOrDefault();

    [GeneratedRegex(@"The live page and API are on (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex PageAddress();
}
