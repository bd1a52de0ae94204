using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EnergyHub.Reliability.Tests;

/// <summary>The demo's log over a night hour, when nothing changes: what changed, not every tick.</summary>
[NonParallelizable]
public sealed class NightLogTests
{
    private const int MostLines = 20;

    [Test]
    public async Task A_night_hour_of_the_demo_is_at_most_20_lines_at_information()
    {
        var data = Directory.CreateTempSubdirectory("energyhub-night-").FullName;
        // 00:30 to 02:30 local at 360× real time: an hour takes 10 s; the hour counted is 01:00–02:00, after start-up.
        using var cli = EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: new Dictionary<string, string>
        {
            ["ENERGYHUB_Common__DataDir"] = data, ["ENERGYHUB_Logging__Dir"] = "", ["ENERGYHUB_Web__Port"] = "0",
            ["ENERGYHUB_Common__Speed"] = "360", ["ENERGYHUB_Common__ClockStart"] = "2025-11-12T00:30:00+10:00",
        });
        await cli.WaitForOutput("The live page and API are on", TimeSpan.FromSeconds(60));
        var address = new Uri(Regex.Match(cli.Out, @"The live page and API are on (http://\S+)").Groups[1].Value);
        using var http = new HttpClient { BaseAddress = address };
        async Task<int> LinesWhenClockPasses(DateTimeOffset at)
        {
            while (true)
            {
                var lines = Lines(cli.Out);
                var health = await http.GetFromJsonAsync<JsonElement>("/api/health");
                if (health.GetProperty("time").GetDateTimeOffset() >= at)
                {
                    return lines;
                }
                Assert.That(cli.HasExited, Is.False, cli.Err);
                await Task.Delay(50); // polling the simulated clock, which moves 18 s per 50 ms
            }
        }
        var from = await LinesWhenClockPasses(DateTimeOffset.Parse("2025-11-12T01:00:00+10:00", System.Globalization.CultureInfo.InvariantCulture));
        var to = await LinesWhenClockPasses(DateTimeOffset.Parse("2025-11-12T02:00:00+10:00", System.Globalization.CultureInfo.InvariantCulture));
        var hour = cli.Out.Split('\n').Where(l => Logged.IsMatch(l)).Skip(from).Take(to - from).ToList();
        TestContext.Progress.WriteLine($"{hour.Count} lines from 01:00 to 02:00:\n{string.Join("\n", hour)}");
        cli.Interrupt();
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);
        Assert.That(hour, Has.Count.LessThanOrEqualTo(MostLines));
        Assert.That(hour, Has.Some.Contains("ReadingLogger"), "the hour still shows the readings once");
    }

    private static readonly Regex Logged = new(@"\[(INF|WRN|ERR|FTL)\]");

    private static int Lines(string output) => output.Split('\n').Count(l => Logged.IsMatch(l));
}
