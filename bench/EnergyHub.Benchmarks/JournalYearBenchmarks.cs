using BenchmarkDotNet.Attributes;
using EnergyHub.Core.Config;
using EnergyHub.Core.Journal;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Benchmarks;

/// <summary>
/// /api/history's query over a year of 10 s readings of one series (3.15 million rows), 1000 points, on both stores;
/// goal ≤ 100 ms. PostgreSQL: a fresh database on $ENERGYHUB_BENCH_POSTGRES (tests/postgres-cluster.sh starts one).
/// </summary>
[Config(typeof(TransportJob))]
public class JournalYearBenchmarks
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private SiteJournal _year = null!;

    /// <summary>The store.</summary>
    [Params(JournalBackend.Sqlite, JournalBackend.Postgres)]
    public JournalBackend Backend { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-bench-year-").FullName;
        var options = new JournalOptions { QueueCapacity = 200_000 };
        _year = Backend == JournalBackend.Postgres
            ? new SiteJournal(new PostgresJournalStore(BenchPostgres.NewDatabase(BenchPostgres.Server
                ?? throw new InvalidOperationException($"set {BenchPostgres.Variable} to a PostgreSQL connection string (tests/postgres-cluster.sh start DIR prints one)"), "year")), options, NullLogger.Instance)
            : new SiteJournal(Path.Combine(dir, "year.db"), options, NullLogger.Instance);
        const int PerDay = 8640;
        for (var day = 0; day < 365; day++)
        {
            for (var i = 0; i < PerDay; i++)
            {
                var n = day * PerDay + i;
                _year.Add(new ReadingRecord(Start.AddSeconds(10 * n), "grid/Meter.PowerW", "grid", "W", Math.Sin(n / 500.0) * 3000));
            }
            _year.FlushAsync().GetAwaiter().GetResult();
        }
    }

    [Benchmark(Description = "journal: history, a year of 10 s data, 1000 points")]
    public async Task<int> Year() => (await _year.HistoryAsync("grid/Meter.PowerW", Start, Start.AddDays(365), 1000)).Count;

    [Benchmark(Description = "journal: history, a week of that year, 1000 points")]
    public async Task<int> Week() => (await _year.HistoryAsync("grid/Meter.PowerW", Start.AddDays(100), Start.AddDays(107), 1000)).Count;
}
