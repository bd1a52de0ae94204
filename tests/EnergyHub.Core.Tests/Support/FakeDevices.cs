using EnergyHub.Devices;
using EnergyHub.Options;
using EnergyHub.Readings;

namespace EnergyHub.Core.Tests.Support;

/// <summary>Options of the fake drivers.</summary>
public sealed class FakeMeterOptions : DeviceOptions
{
    public double PowerW { get; init; }
}

/// <summary>A meter whose next reading or failure the test decides.</summary>
public sealed class FakeMeter(string id, TimeProvider time) : IMeter
{
    public string Id => id;
    public string DisplayName => "Fake meter";
    public MeterRole Role => MeterRole.Grid;
    public double PowerW { get; set; } = 100;
    public Exception? FailWith { get; set; }
    public int Reads { get; private set; }
    public int Concurrent { get; private set; }

    /// <summary>Runs at the start of every read.</summary>
    public Action? OnRead { get; set; }

    /// <summary>When set, every reading carries this time (a cache that keeps serving what it last fetched).</summary>
    public DateTimeOffset? FixedTimestamp { get; set; }
    public int MostConcurrent { get; private set; }

    /// <summary>When set, reads wait for it, ignoring cancellation (a driver that hangs in a blocking call).</summary>
    public TaskCompletionSource? HangUntil { get; set; }

    /// <summary>When set, reads block their thread on it before returning a task at all (a driver that calls blocking I/O).</summary>
    public ManualResetEventSlim? BlockThreadUntil { get; set; }

    public ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken)
    {
        BlockThreadUntil?.Wait(CancellationToken.None);
        return ReadCoreAsync();
    }

    private async ValueTask<DeviceReading> ReadCoreAsync()
    {
        Reads++;
        OnRead?.Invoke();
        MostConcurrent = Math.Max(MostConcurrent, ++Concurrent);
        try
        {
            if (HangUntil is { } hang)
            {
                await hang.Task.ConfigureAwait(false);
            }
            return Read();
        }
        finally
        {
            Concurrent--;
        }
    }

    private DeviceReading Read()
    {
        if (FailWith is { } failure)
        {
            throw failure;
        }
        return new DeviceReading { Timestamp = FixedTimestamp ?? time.GetUtcNow(), Meter = new MeterReading(PowerW) };
    }
}

/// <summary>An inverter that records every limit it is sent.</summary>
public sealed class FakeInverter(string id, TimeProvider time) : IInverter, IActivePowerLimiter
{
    public string Id => id;
    public string DisplayName => "Fake inverter";
    public double RatedPowerW => 5000;
    public List<double> Limits { get; } = [];
    public Exception? FailWith { get; set; }
    public int Attempts { get; private set; }

    public ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new DeviceReading
        {
            Timestamp = time.GetUtcNow(),
            Inverter = new InverterReading(1000, 950) { ActivePowerLimitPct = Limits.Count == 0 ? 100 : Limits[^1] },
        });

    public Task SetActivePowerLimitAsync(double percent, CancellationToken cancellationToken)
    {
        Attempts++;
        if (FailWith is { } failure)
        {
            throw failure;
        }
        Limits.Add(percent);
        return Task.CompletedTask;
    }
}
