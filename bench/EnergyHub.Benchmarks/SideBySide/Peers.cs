using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EnergyHub.Benchmarks.SideBySide;

/// <summary>Processes and ports for the side-by-side run: free loopback ports, peers started and read to the end.</summary>
internal static class Peers
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static Process Start(string program, IEnumerable<string> args, bool stdin = false, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin, UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        return Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
    }

    public static async Task<string> RunAsync(string program, params string[] args)
    {
        using var process = Start(program, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"{program} exited {process.ExitCode}: {await error}");
    }

    private static string FindRepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "EnergyHub.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return dir ?? throw new InvalidOperationException("run from inside the repository");
    }
}
