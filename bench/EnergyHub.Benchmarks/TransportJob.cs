using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace EnergyHub.Benchmarks;

/// <summary>In-process (the peers are sockets anyway), short: a few seconds per benchmark.</summary>
public sealed class TransportJob : ManualConfig
{
    public TransportJob() =>
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10).WithLaunchCount(1));
}
