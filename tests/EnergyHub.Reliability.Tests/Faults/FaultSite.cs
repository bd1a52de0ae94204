using EnergyHub.Core.Config;
using EnergyHub.Core.Devices;
using EnergyHub.Core.Events;
using EnergyHub.Core.Hosting;
using EnergyHub.Core.Journal;
using EnergyHub.Services;
using EnergyHub.Site;
using EnergyHub.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Reliability.Tests.Faults;

/// <summary>
/// The export guard's whole site in process, through the live host and scheduler: the real goodwe, alphaess and amber
/// drivers talk to the simulator's emulators through a <see cref="FaultyLink"/> each, on a clock running
/// <see cref="Speed"/> times real time (midday, negative feed-in, battery nearly full).
/// </summary>
public sealed class FaultSite : IAsyncDisposable
{
    public const double Speed = 10;
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan PricesStaleAfter = TimeSpan.FromSeconds(60);

    private readonly List<DecisionEntry> _decisions = [];
    private readonly SemaphoreSlim _decided = new(0);
    private IHost _host = null!;
    private ILoggerFactory _loggers = null!;

    public CapturedLogs Logs { get; } = new();
    public JumpingClock Clock { get; } = new(new DateTimeOffset(2025, 11, 12, 11, 0, 0, TimeSpan.FromHours(10)), Speed);
    public Dictionary<string, FaultyLink> Links { get; } = [];
    public string DataDir { get; } = Directory.CreateTempSubdirectory("energyhub-faults-").FullName;
    public SiteState Site => _host.Services.GetRequiredService<SiteState>();
    public SiteJournal Journal => _host.Services.GetRequiredService<SiteJournal>();

    public int DecisionCount
    {
        get
        {
            lock (_decisions)
            {
                return _decisions.Count;
            }
        }
    }

    public static async Task<FaultSite> Start()
    {
        var site = new FaultSite();
        // The links hold their ports first, so an emulator's free port can never be one of them.
        foreach (var id in new[] { "roof", "battery", "prices" })
        {
            site.Links[id] = new FaultyLink();
        }
        var taken = site.Links.Values.Select(l => l.Port).ToHashSet();
        int Free()
        {
            int port;
            while (!taken.Add(port = Peer.FreePort()))
            {
            }
            return port;
        }
        var (goodwe, alphaess, amber) = (Free(), Free(), Free());
        (site.Links["roof"].UpstreamPort, site.Links["battery"].UpstreamPort, site.Links["prices"].UpstreamPort) = (goodwe, alphaess, amber);
        var path = Path.Combine(site.DataDir, "faults.ini");
        await File.WriteAllTextAsync(path, $"""
            [Common]
            DataDir = {site.DataDir}/data
            [Logging]
            Dir =
            [Journal]
            FlushInterval = 2s
            [Web]
            Enabled = false
            [Services]
            ExportGuard = true
            GoodWeEmulator = true
            AlphaEssEmulator = true
            AmberEmulator = true
            [Device:site]
            Driver = sim-site
            PvKwp = 7
            InverterRatedW = 6000
            BatteryCapacityWh = 10000
            BatteryInitialSocPct = 97
            EvCapacityWh = 0
            InverterResponseDelay = 2s
            [GoodWeEmulator]
            Port = {goodwe}
            Site = site
            [AlphaEssEmulator]
            Port = {alphaess}
            Site = site
            ; the driver asks every 10 s; the emulator's own rate limit stays clear of that under a loaded machine
            MinRequestInterval = 5s
            [AmberEmulator]
            Port = {amber}
            Snapshot = scenario2
            [Device:roof]
            Driver = goodwe
            Host = 127.0.0.1
            Port = {site.Links["roof"].Port}
            Model = Dt
            RatedPowerW = 6000
            PollInterval = 5s
            Timeout = 5s
            [Device:battery]
            Driver = alphaess
            BaseUrl = http://127.0.0.1:{site.Links["battery"].Port}/api/
            AppId = alphasimulated
            AppSecret = 0123456789abcdef0123456789abcdef
            PollInterval = 10s
            Timeout = 5s
            [Device:prices]
            Driver = amber
            BaseUrl = http://127.0.0.1:{site.Links["prices"].Port}/v1/
            ApiKey = psk_simulated
            FetchInterval = 10s
            Timeout = 5s
            StaleAfter = 2m
            [ExportGuard]
            Inverter = roof
            Battery = battery
            GridMeter = battery
            Prices = prices
            Interval = {Tick.TotalSeconds}s
            StaleAfter = {StaleAfter.TotalSeconds}s
            PricesStaleAfter = {PricesStaleAfter.TotalSeconds}s
            ; the fault matrix watches recovery, tick by tick: the write budget (ExportGuardControllerTests) would space it out
            MaxWritesPerHour = 720
            """);
        site._loggers = LoggerFactory.Create(builder => builder.AddProvider(site.Logs).SetMinimumLevel(LogLevel.Information));
        var loader = new SiteLoader(site._loggers);
        loader.BuiltIn.Add(typeof(BuiltInServices).Assembly);
        var config = loader.Load(path).Config;
        site._host = SiteHost.Build(config, site._loggers, site.Clock);
        site._host.Services.GetRequiredService<DecisionLog>().Recorded += entry =>
        {
            if (entry.Service == "ExportGuard")
            {
                lock (site._decisions)
                {
                    site._decisions.Add(entry);
                }
                site._decided.Release();
            }
        };
        await site._host.StartAsync();
        return site;
    }

    /// <summary>The guard's decisions from index <paramref name="from"/> on.</summary>
    public IReadOnlyList<DecisionEntry> DecisionsSince(int from)
    {
        lock (_decisions)
        {
            return _decisions.Skip(from).ToList();
        }
    }

    /// <summary>Waits for the first decision from index <paramref name="from"/> on that matches; fails after <paramref name="ticks"/> ticks.</summary>
    public async Task<(int Index, DecisionEntry Decision)> Decision(int from, Func<DecisionEntry, bool> match, int ticks, string what)
    {
        for (var seen = from; ; )
        {
            var next = DecisionsSince(seen);
            foreach (var decision in next)
            {
                if (match(decision))
                {
                    return (seen, decision);
                }
                if (++seen - from > ticks)
                {
                    Assert.Fail($"{what}: not within {ticks} ticks. Decisions: {Describe(DecisionsSince(from))}\nLog:\n{string.Join("\n", Logs.Since(0, LogLevel.Information).Select(l => l.Text))}");
                }
            }
            if (!await _decided.WaitAsync(TimeSpan.FromSeconds(30)))
            {
                Assert.Fail($"{what}: the guard stopped ticking");
            }
        }
    }

    /// <summary>Waits until the guard is limiting with the inverter reading back (within a step) the limit it wants.</summary>
    public Task<(int Index, DecisionEntry Decision)> Settled(int from, int ticks = 40) =>
        Decision(from, d => d.Decision == "limiting" && Number(d, "limitReadBackPct") is { } back && Number(d, "limitPct") is { } wanted
            && Math.Abs(back - wanted) <= 2 && DeviceHealthOf("roof") == DeviceHealth.Online && DeviceHealthOf("battery") == DeviceHealth.Online,
            ticks, "limiting with the limit in force");

    public DeviceHealth DeviceHealthOf(string id) => Site.HealthOf(id);

    // A decision's value as the journal and the page read it: by its JSON name.
    private static System.Text.Json.JsonElement? Field(DecisionEntry decision, string key) =>
        System.Text.Json.JsonSerializer.SerializeToElement(decision.Details, decision.Details.GetType(), System.Text.Json.JsonSerializerOptions.Web)
            .TryGetProperty(key, out var value) && value.ValueKind != System.Text.Json.JsonValueKind.Null ? value : null;

    public static double? Number(DecisionEntry decision, string key) =>
        Field(decision, key) is { ValueKind: System.Text.Json.JsonValueKind.Number } value ? value.GetDouble() : null;

    public static string? Text(DecisionEntry decision, string key) => Field(decision, key)?.ToString();

    public static string Describe(IEnumerable<DecisionEntry> decisions) => string.Join("; ", decisions.Select(d =>
        $"{d.Time:HH:mm:ss} {d.Decision} limit {Number(d, "limitPct")} back {Number(d, "limitReadBackPct")} write {Number(d, "writePct")} {Text(d, "writeResult")}"));

    /// <summary>Stops the site within <paramref name="budget"/> (real time); true when every service confirmed its safe state.</summary>
    public async Task<bool> StopAsync(TimeSpan budget)
    {
        using var stop = new CancellationTokenSource(budget);
        await _host.StopAsync(stop.Token);
        _stopped = true;
        return _host.Services.GetServices<IHostedService>().OfType<Core.Scheduling.ServiceScheduler>().Single().SafeStatesConfirmed;
    }

    private bool _stopped;

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync(TimeSpan.FromSeconds(30));
        }
        _host.Dispose();
        foreach (var link in Links.Values)
        {
            await link.DisposeAsync();
        }
        _loggers.Dispose();
    }
}
