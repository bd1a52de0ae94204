using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EnergyHub.Benchmarks.SideBySide;
using EnergyHub.Core.Energy;
using EnergyHub.Core.Fleet;
using EnergyHub.Protocols.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EnergyHub.Benchmarks.Fleet;

/// <summary>
/// <c>fleet-load --sites N [--minutes M] [--interval 10s]</c>: N simulated sites, each on its own MQTT connection,
/// publish what a demo site publishes (a summary and eight device state documents with 38 values) every interval into
/// a mosquitto started here; one <c>energyhub fleet</c> process follows them into PostgreSQL (a throwaway cluster from
/// tests/postgres-cluster.sh, or $ENERGYHUB_BENCH_POSTGRES). Prints the lag the fleet measured, whether it held every
/// site, the CPU of broker, database and fleet, the journal's queue, and bytes per site per day on the wire and in the
/// database, as a Markdown row.
/// </summary>
internal static class FleetLoadRun
{
    // The demo site's devices and the values each publishes (MqttExporter state documents).
    private static readonly (string Device, string[] Values)[] Devices =
    [
        ("grid", ["Meter.PowerW", "Meter.FrequencyHz", "Meter.L1.VoltageV", "Meter.L1.CurrentA", "Meter.L1.PowerW", "Meter.L2.VoltageV", "Meter.L2.CurrentA", "Meter.L2.PowerW", "Meter.L3.VoltageV", "Meter.L3.CurrentA", "Meter.L3.PowerW"]),
        ("inverter", ["Inverter.PvPowerW", "Inverter.AcPowerW", "Inverter.ActivePowerLimitPct", "Inverter.CurtailedPowerW"]),
        ("battery", ["Battery.SocPct", "Battery.PowerW", "Battery.ChargeLimitW", "Battery.DischargeLimitW", "Battery.VoltageV"]),
        ("prices", ["Prices.ImportPerKwh", "Prices.FeedInPerKwh"]),
        ("ev", ["Charger.PowerW", "Charger.CurrentA", "Charger.Phases", "Charger.EnergyKwh", "Ev.SocPct"]),
        ("heater", ["Consumer.PowerW", "Consumer.AllowanceW"]),
        ("pool", ["Consumer.PowerW", "Consumer.On"]),
        ("site", ["Site.PvW", "Site.LoadW", "Site.GridW", "Site.BatteryW", "Site.EvW", "Site.TemperatureC", "Site.IrradianceWm2"]),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var sites = Option(args, "--sites", 100);
        var minutes = Option(args, "--minutes", 3);
        var interval = TimeSpan.FromSeconds(Option(args, "--interval", 10));
        var work = Directory.CreateTempSubdirectory("energyhub-fleet-load-").FullName;
        var energyhub = Path.Combine(Peers.RepoRoot, "src", "EnergyHub", "bin", "Release", "net10.0", "energyhub.dll");
        var (server, cluster) = await PostgresAsync();
        var connectionString = BenchPostgres.NewDatabase(server, $"fleet_load_{sites}");
        var brokerPort = Peers.FreePort();
        await File.WriteAllTextAsync(Path.Combine(work, "mosquitto.conf"), $"listener {brokerPort} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 100000\nlog_dest none\n");
        using var broker = Peers.Start("mosquitto", ["-c", Path.Combine(work, "mosquitto.conf")]);
        await Task.Delay(500);
        await File.WriteAllTextAsync(Path.Combine(work, "fleet.ini"), $"""
            [Common]
            SiteName = Load fleet
            DataDir = {work}/fleet-data
            [Logging]
            Dir =
            [Fleet]
            Prefix = load
            StaleAfter = {(int)(interval.TotalSeconds * 3)}s
            [Mqtt]
            Enabled = true
            Host = 127.0.0.1
            Port = {brokerPort}
            ClientId = load-fleet
            TopicPrefix = load-fleet
            [Journal]
            Backend = Postgres
            ConnectionString = {connectionString}
            QueueCapacity = 5000000
            FlushInterval = 2s
            [Web]
            Port = 0
            """);
        var fleetOut = new StringBuilder();
        using var fleet = Peers.Start("dotnet", [energyhub, "fleet", "--config", Path.Combine(work, "fleet.ini")]);
        fleet.OutputDataReceived += (_, e) => { lock (fleetOut) { fleetOut.AppendLine(e.Data); } };
        fleet.ErrorDataReceived += (_, e) => { lock (fleetOut) { fleetOut.AppendLine(e.Data); } };
        fleet.BeginOutputReadLine();
        fleet.BeginErrorReadLine();
        var address = await AddressAsync(fleetOut, fleet);
        using var http = new HttpClient { BaseAddress = address };
        Console.Error.WriteLine($"fleet on {address}, broker on 127.0.0.1:{brokerPort}, {sites} sites every {interval.TotalSeconds} s for {minutes} min");

        var buses = new List<MqttBus>();
        for (var i = 0; i < sites; i++)
        {
            buses.Add(new MqttBus(new MqttBusOptions { Host = "127.0.0.1", Port = brokerPort, ClientId = $"load-site-{i}" }, NullLogger.Instance).Start());
        }
        await Task.WhenAll(buses.Select(b => b.WaitConnectedAsync(CancellationToken.None)));
        long bytes = 0, messages = 0;
        var dbBefore = await DatabaseBytesAsync(connectionString);
        var cpuBefore = Cpu(broker.Id, fleet.Id);
        var wall = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
        var publishers = buses.Select((bus, i) => Task.Run(async () =>
        {
            var random = new Random(i);
            // Sites spread over the interval, as independent homes are.
            try
            {
                await Task.Delay(interval * (i / (double)sites), stop.Token);
                using var timer = new PeriodicTimer(interval);
                do
                {
                    foreach (var (topic, payload) in Messages(i, random))
                    {
                        if (await bus.PublishAsync(new MqttMessage(topic, payload, MqttQos.AtMostOnce, Retain: true), stop.Token))
                        {
                            Interlocked.Add(ref bytes, payload.Length + Encoding.UTF8.GetByteCount(topic));
                            Interlocked.Increment(ref messages);
                        }
                    }
                }
                while (await timer.WaitForNextTickAsync(stop.Token));
            }
            catch (OperationCanceledException)
            {
            }
        })).ToList();

        var lags = new List<double>();
        var worstHeld = sites;
        long worstQueue = 0;
        await Task.Delay(interval * 2);
        while (!stop.IsCancellationRequested)
        {
            var document = await http.GetFromJsonAsync<JsonElement>("/api/fleet");
            var all = document.GetProperty("sites").EnumerateArray().ToList();
            worstHeld = Math.Min(worstHeld, all.Count(s => s.GetProperty("status").GetString() is "Online" or "Degraded"));
            lags.AddRange(all.Where(s => s.GetProperty("lagMs").ValueKind == JsonValueKind.Number).Select(s => s.GetProperty("lagMs").GetDouble()));
            worstQueue = Math.Max(worstQueue, document.GetProperty("journal").GetProperty("queueDepth").GetInt64());
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        await Task.WhenAll(publishers);
        var seconds = wall.Elapsed.TotalSeconds;
        var cpuAfter = Cpu(broker.Id, fleet.Id);
        await Task.Delay(TimeSpan.FromSeconds(5)); // the last flush
        var final = await http.GetFromJsonAsync<JsonElement>("/api/fleet");
        var dbAfter = await DatabaseBytesAsync(connectionString);
        var rows = await ScalarAsync(connectionString, "SELECT COUNT(*) FROM readings");
        double Lag(double p) => lags.Count == 0 ? double.NaN : Services.BatteryScheduler.Percentile.Of(lags, p);
        var perDay = 86_400 / seconds / sites;
        var journal = final.GetProperty("journal");
        Console.WriteLine("| sites | interval | minutes | held (worst sample) | lag p50 ms | lag p99 ms | lag max ms | fleet CPU % | mosquitto CPU % | PostgreSQL CPU % | journal queue max | dropped | rows/s | MQTT bytes/site/day | DB bytes/site/day |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {sites} | {interval.TotalSeconds} s | {minutes} | {worstHeld}/{sites} | {Lag(50):0} | {Lag(99):0} | {(lags.Count > 0 ? lags.Max() : double.NaN):0} | " +
            $"{100 * (cpuAfter.Fleet - cpuBefore.Fleet) / seconds:0} | {100 * (cpuAfter.Broker - cpuBefore.Broker) / seconds:0} | {100 * (cpuAfter.Postgres - cpuBefore.Postgres) / seconds:0} | " +
            $"{worstQueue} | {journal.GetProperty("dropped").GetInt64()} | {rows / seconds:0} | {bytes * perDay / 1024 / 1024:0.0} MiB | {(dbAfter - dbBefore) * perDay / 1024 / 1024:0.0} MiB |"));
        Console.Error.WriteLine($"{messages} messages, {bytes / 1024.0 / 1024:0.0} MiB published in {seconds:0} s; {rows} reading rows");

        foreach (var bus in buses)
        {
            await bus.DisposeAsync();
        }
        fleet.Kill(entireProcessTree: true);
        broker.Kill();
        if (cluster is not null)
        {
            await Peers.RunAsync(Path.Combine(Peers.RepoRoot, "tests", "postgres-cluster.sh"), "stop", cluster);
        }
        return 0;
    }

    private static IEnumerable<(string Topic, byte[] Payload)> Messages(int site, Random random)
    {
        var now = DateTimeOffset.UtcNow;
        var pv = Math.Max(0, 5000 * Math.Sin(now.TimeOfDay.TotalHours / 24 * Math.PI)) + random.NextDouble() * 100;
        var load = 400 + random.NextDouble() * 2000;
        var summary = new SiteSummary
        {
            Name = $"Load site {site}", Time = now, SentUtc = now, PvW = pv, LoadW = load, GridW = load - pv, BatteryW = 0, SocPct = 50 + random.NextDouble(),
            Today = new TodayEnergy(DateOnly.FromDateTime(now.DateTime)) { PvKwh = 12.3, ImportKwh = 4.5, ExportKwh = 6.7, LoadKwh = 10.1, Currency = "AUD" },
            Devices = Devices.ToDictionary(d => d.Device, _ => "Online"),
        };
        yield return ($"load/site{site}/summary", Encoding.UTF8.GetBytes(summary.ToJson()));
        foreach (var (device, values) in Devices)
        {
            var json = JsonSerializer.Serialize(new
            {
                timestamp = now,
                values = values.ToDictionary(v => v, _ => Math.Round(random.NextDouble() * 5000, 1)),
                units = values.ToDictionary(v => v, v => v[(v.LastIndexOf('.') + 1)..].TrimStart('L', '1', '2', '3')),
            }, JsonSerializerOptions.Web);
            yield return ($"load/site{site}/{device}/state", Encoding.UTF8.GetBytes(json));
        }
    }

    // The given server, or a throwaway cluster (its folder returned, to stop it). The folder is directly under the temp
    // folder: as root the cluster runs as postgres, who cannot enter a private folder of root's.
    private static async Task<(string Server, string? Cluster)> PostgresAsync()
    {
        if (BenchPostgres.Server is { } given)
        {
            return (given, null);
        }
        var dir = Directory.CreateTempSubdirectory("energyhub-bench-pg-").FullName;
        var server = await Peers.RunAsync(Path.Combine(Peers.RepoRoot, "tests", "postgres-cluster.sh"), "start", dir);
        return (server.Trim(), dir);
    }

    private static async Task<Uri> AddressAsync(StringBuilder output, Process fleet)
    {
        for (var i = 0; i < 300; i++)
        {
            lock (output)
            {
                var text = output.ToString();
                var at = text.IndexOf("The live page and API are on ", StringComparison.Ordinal);
                if (at >= 0)
                {
                    return new Uri(text[(at + "The live page and API are on ".Length)..].Split((char[])['\n', ' ', '\r'])[0]);
                }
            }
            if (fleet.HasExited)
            {
                break;
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"energyhub fleet did not start:\n{output}");
    }

    // CPU seconds (user + system) of the broker, the fleet and every postgres process, from /proc.
    private static (double Broker, double Fleet, double Postgres) Cpu(int broker, int fleet)
    {
        var postgres = Directory.GetDirectories("/proc").Select(d => Path.GetFileName(d)).Where(d => d.All(char.IsDigit))
            .Where(pid => File.Exists($"/proc/{pid}/comm") && SafeRead($"/proc/{pid}/comm").Trim() == "postgres")
            .Sum(pid => Seconds(int.Parse(pid, CultureInfo.InvariantCulture)));
        return (Seconds(broker), Seconds(fleet), postgres);
    }

    private static double Seconds(int pid)
    {
        var stat = SafeRead($"/proc/{pid}/stat");
        if (stat.Length == 0)
        {
            return 0;
        }
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static string SafeRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static async Task<long> DatabaseBytesAsync(string connectionString) => await ScalarAsync(connectionString, "SELECT pg_database_size(current_database())");

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return Convert.ToInt64(await new NpgsqlCommand(sql, connection).ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
