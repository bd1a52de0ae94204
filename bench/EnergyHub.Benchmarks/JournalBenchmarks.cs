using BenchmarkDotNet.Attributes;
using EnergyHub.Core.Config;
using EnergyHub.Core.Journal;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Benchmarks;

/// <summary>Journal throughput (readings written per second, batched as the running site does) and history query latency.</summary>
[Config(typeof(TransportJob))]
public class JournalBenchmarks
{
    private const int Batch = 10_000;
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private SiteJournal _write = null!;
    private SiteJournal _week = null!;
    private long _t;

    [GlobalSetup]
    public void Setup()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-bench-").FullName;
        _write = new SiteJournal(Path.Combine(dir, "write.db"), new JournalOptions(), NullLogger.Instance);
        _week = new SiteJournal(Path.Combine(dir, "week.db"), new JournalOptions(), NullLogger.Instance);
        for (var i = 0; i < 7 * 8640; i++) // one week at 10 s
        {
            _week.Add(new ReadingRecord(Start.AddSeconds(10 * i), "grid/Meter.PowerW", "grid", "W", Math.Sin(i / 100.0) * 1000));
        }
        _week.FlushAsync().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "journal: write readings", OperationsPerInvoke = Batch)]
    public Task<int> Write()
    {
        for (var i = 0; i < Batch; i++)
        {
            _write.Add(new ReadingRecord(Start.AddSeconds(_t++), "grid/Meter.PowerW", "grid", "W", i));
        }
        return _write.FlushAsync();
    }

    [Benchmark(Description = "history: one week of 10 s data, 1000 points")]
    public async Task<int> History() => (await _week.HistoryAsync("grid/Meter.PowerW", Start, Start.AddDays(7), 1000)).Count;
}
