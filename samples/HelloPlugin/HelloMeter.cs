using EnergyHub.Devices;
using EnergyHub.Readings;

namespace HelloPlugin;

/// <summary>A load meter that reports <see cref="HelloOptions.PowerW"/>, plus <see cref="HelloOptions.StepW"/> per read.</summary>
public sealed class HelloMeter(string id, HelloOptions options, TimeProvider time) : IMeter
{
    private int _reads;

    public string Id { get; } = id;
    public string DisplayName => "Hello meter";
    public MeterRole Role => MeterRole.Load;

    public ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken)
    {
        var power = options.PowerW + options.StepW * _reads++;
        return ValueTask.FromResult(new DeviceReading { Timestamp = time.GetUtcNow(), Meter = new MeterReading(power) });
    }
}
