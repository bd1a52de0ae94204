using EnergyHub.TestSupport;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EnergyHub.Reliability.Tests;

/// <summary>
/// Soak: <c>energyhub run</c> (the live host and scheduler, not the replay path) on the demo's simulated site with its
/// export guard (the demo's other services off), the reading logger, the Amber emulator and an amber device, the journal and the web stream open, on a clock
/// running <see cref="Speed"/> times real time. Resident memory, open handles, threads and the journal queue are
/// sampled once the site has warmed up and at the end; none may grow without bound. The figures in
/// docs/reliability.md come from the seven-day case.
/// </summary>
[NonParallelizable]
public sealed class SoakTests
{
    private const double Speed = 2000;

    [TestCase(1, TestName = "Soak: one simulated day")]
    [TestCase(7, TestName = "Soak: seven simulated days", Explicit = true,
        Reason = "about five minutes; run with --filter \"Name~seven simulated days\"")]
    public async Task Memory_handles_and_queues_stay_flat(int days)
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-soak-").FullName;
        var (port, webPort) = (Peer.FreePort(), Peer.FreePort());
        var config = Path.Combine(dir, "soak.ini");
        var demo = await File.ReadAllTextAsync(Path.Combine(EnergyHubCli.RepoRoot, "config", "demo.ini"));
        await File.WriteAllTextAsync(config, Regex.Replace(demo, @"PollInterval = \d+m", "PollInterval = 10s")
            .Replace("ReadingLogger = true", $"ReadingLogger = true\nAmberEmulator = true", StringComparison.Ordinal)
            .Replace("EvCharging = true", "EvCharging = false", StringComparison.Ordinal)
            .Replace("SurplusDistributor = true", "SurplusDistributor = false", StringComparison.Ordinal)
            .Replace("BatteryScheduler = true", "BatteryScheduler = false", StringComparison.Ordinal)
            .Replace("Interval = 5m", "Interval = 1h", StringComparison.Ordinal) + $"""

            [AmberEmulator]
            Port = {port}

            [Device:amber]
            Driver = amber
            BaseUrl = http://127.0.0.1:{port}/v1/
            ApiKey = psk_simulated
            FetchInterval = 5m
            Timeout = 1m
            """);
        using var cli = EnergyHubCli.Start(["run", "--config", config], environment: new Dictionary<string, string>
        {
            ["ENERGYHUB_Common__DataDir"] = Path.Combine(dir, "data"),
            ["ENERGYHUB_Common__Speed"] = Speed.ToString(CultureInfo.InvariantCulture),
            ["ENERGYHUB_Common__SiteCycleInterval"] = "10s", // the demo's export guard ticks in the site cycle
            ["ENERGYHUB_Logging__Level"] = "Warning",
            ["ENERGYHUB_Web__Port"] = webPort.ToString(CultureInfo.InvariantCulture),
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/"), Timeout = Timeout.InfiniteTimeSpan };
        await UntilSimulated(http, TimeSpan.Zero, cli);
        using var stream = new CancellationTokenSource();
        var events = 0L;
        var reader = Task.Run(async () =>
        {
            using var response = await http.GetAsync("api/stream", HttpCompletionOption.ResponseHeadersRead, stream.Token);
            using var lines = new StreamReader(await response.Content.ReadAsStreamAsync(stream.Token));
            while (await lines.ReadLineAsync(stream.Token) is { } line)
            {
                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref events);
                }
            }
        });

        var simulated = TimeSpan.FromDays(days);
        var warmUp = TimeSpan.FromHours(6);
        await UntilSimulated(http, warmUp, cli);
        var start = await Sample(cli.Pid, http);
        await UntilSimulated(http, simulated, cli);
        var end = await Sample(cli.Pid, http);
        await stream.CancelAsync();
        cli.Interrupt();
        var code = await cli.WaitForExit(TimeSpan.FromMinutes(1));
        try
        {
            await reader;
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
        }

        var report = $"soak {days} d at {Speed}x: RSS {start.RssMb:0} -> {end.RssMb:0} MB, handles {start.Handles} -> {end.Handles}, threads {start.Threads} -> {end.Threads}, " +
            $"journal queue {start.QueueDepth} -> {end.QueueDepth}, dropped {end.Dropped}, written {end.Written}, stream events {Interlocked.Read(ref events)}";
        TestContext.Out.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), $"energyhub-soak-{days}d.txt"), report);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, cli.Err);
            Assert.That(end.RssMb, Is.LessThan(start.RssMb * 1.5 + 40), report);
            Assert.That(end.Handles, Is.LessThanOrEqualTo(start.Handles + 16), report);
            Assert.That(end.Threads, Is.LessThanOrEqualTo(start.Threads + 16), report);
            Assert.That(end.QueueDepth, Is.LessThan(10_000), "the journal keeps up: " + report);
            Assert.That(end.Dropped, Is.Zero, report);
            Assert.That(Interlocked.Read(ref events), Is.GreaterThan(1000), "the stream stayed open and busy: " + report);
        });
    }

    private sealed record Resources(double RssMb, int Handles, int Threads, long QueueDepth, long Dropped, long Written);

    private static async Task<Resources> Sample(int pid, HttpClient http)
    {
        var status = await File.ReadAllLinesAsync($"/proc/{pid}/status");
        double Field(string name) => double.Parse(status.First(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        var journal = JsonDocument.Parse(await http.GetStringAsync("api/health")).RootElement.GetProperty("journal");
        return new Resources(Field("VmRSS") / 1024, Directory.GetFiles($"/proc/{pid}/fd").Length, (int)Field("Threads"),
            journal.GetProperty("queueDepth").GetInt64(), journal.GetProperty("dropped").GetInt64(), journal.GetProperty("written").GetInt64());
    }

    // Waits (on the site's own clock, asked over the API) until the site has run for the given simulated time.
    private static async Task UntilSimulated(HttpClient http, TimeSpan span, EnergyHubCli cli)
    {
        var started = new DateTimeOffset(2025, 11, 12, 9, 0, 0, TimeSpan.FromHours(10)); // demo.ini's ClockStart
        while (true)
        {
            Assert.That(cli.HasExited, Is.False, $"energyhub run stopped:\n{cli.Out}\n{cli.Err}");
            try
            {
                var now = JsonDocument.Parse(await http.GetStringAsync("api/health")).RootElement.GetProperty("time").GetDateTimeOffset();
                if (now - started >= span)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }
}
