using System.Diagnostics;

namespace EnergyHub.Benchmarks.SideBySide;

/// <summary>
/// Cold start of <c>energyhub run</c> on the demo site to the first <c>/api/health</c> 200, and its resident memory
/// after 10 s idle, for the build given (compare two commits by pointing at each one's energyhub.dll).
/// </summary>
internal static class ColdStart
{
    public sealed record Result(double StartSeconds, long IdleRssKiB);

    public static async Task<Result> RunAsync(string energyhubDll)
    {
        var port = Peers.FreePort();
        var data = Directory.CreateTempSubdirectory("energyhub-cold-start-").FullName;
        var clock = Stopwatch.StartNew();
        using var process = Peers.Start("dotnet", [energyhubDll, "run", "--config", Path.Combine(Peers.RepoRoot, "config", "demo.ini")],
            environment: new Dictionary<string, string> { ["ENERGYHUB_Web__Port"] = port.ToString(), ["ENERGYHUB_Common__DataDir"] = data, ["ENERGYHUB_Logging__Dir"] = "" });
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        double started;
        while (true)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/api/health")).IsSuccessStatusCode)
                {
                    started = clock.Elapsed.TotalSeconds;
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"energyhub did not answer /api/health within 60 s (exited: {process.HasExited})");
            }
            await Task.Delay(20);
        }
        await Task.Delay(TimeSpan.FromSeconds(10));
        var rss = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        Process.Start("kill", ["-INT", process.Id.ToString()])!.WaitForExit();
        await process.WaitForExitAsync();
        return new Result(started, long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
    }
}
