using System.Globalization;

namespace EnergyHub.Benchmarks.SideBySide;

/// <summary>
/// <c>dotnet run -c Release --project bench/EnergyHub.Benchmarks -- side-by-side [--count N] [--energyhub DLL]...</c>:
/// our transports beside independent implementations in one run, printed as Markdown tables (bench/README.md holds a run).
/// </summary>
internal static class SideBySideRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = Option(args, "--count") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : 20_000;
        var builds = args.Select((a, i) => (a, i)).Where(x => x.a == "--energyhub" && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToList();
        if (builds.Count == 0)
        {
            builds.Add(Path.Combine(Peers.RepoRoot, "src", "EnergyHub", "bin", "Release", "net10.0", "energyhub.dll"));
        }

        Console.Error.WriteLine($"MQTT: {count} messages of 64 B per publisher and QoS ...");
        var mqtt = await MqttSideBySide.RunAsync(count);
        Console.WriteLine($"### MQTT publish to mosquitto, {count} × 64 B, at most 20 in flight\n");
        Console.WriteLine("| publisher | QoS | received | msg/s | p50 latency ms | p99 latency ms |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var r in mqtt)
        {
            Console.WriteLine(Invariant($"| {r.Publisher} | {r.Qos} | {r.Received}/{r.Sent} | {r.PerSecond:0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} |"));
        }

        Console.Error.WriteLine("Modbus TCP: 3 s per client against pymodbus's server ...");
        var modbus = await ModbusSideBySide.RunAsync(3);
        Console.WriteLine("\n### Modbus TCP FC03 (10 registers) against the pymodbus server, one request at a time\n");
        Console.WriteLine("| client | reads | reads/s |");
        Console.WriteLine("|---|---|---|");
        foreach (var r in modbus)
        {
            Console.WriteLine(Invariant($"| {r.Client} | {r.Reads} | {r.PerSecond:0} |"));
        }

        Console.WriteLine("\n### `energyhub run` on the demo site: cold start to /api/health 200, RSS after 10 s idle (median of 3)\n");
        Console.WriteLine("| build | start s | idle RSS MiB |");
        Console.WriteLine("|---|---|---|");
        foreach (var build in builds)
        {
            Console.Error.WriteLine($"Cold start: {build} ...");
            var runs = new List<ColdStart.Result>();
            for (var i = 0; i < 3; i++)
            {
                runs.Add(await ColdStart.RunAsync(build));
            }
            var start = runs.Select(r => r.StartSeconds).Order().ElementAt(1);
            var rss = runs.Select(r => r.IdleRssKiB).Order().ElementAt(1);
            Console.WriteLine(Invariant($"| {build} | {start:0.00} | {rss / 1024.0:0} |"));
        }
        return 0;
    }

    private static string? Option(string[] args, string name) =>
        args.Select((a, i) => (a, i)).Where(x => x.a == name && x.i + 1 < args.Length).Select(x => args[x.i + 1]).FirstOrDefault();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
