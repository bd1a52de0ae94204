using EnergyHub.Devices;
using EnergyHub.Readings;

namespace HelloPlugin;

/// <summary>Version 2 of the sample's meter: ten times <see cref="HelloOptions.PowerW"/>, under another name.</summary>
public sealed class HelloMeter(string id, HelloOptions options, TimeProvider time) : IMeter
{
    public string Id { get; } = id;
    public string DisplayName => "Hello meter v2";
    public MeterRole Role => MeterRole.Load;

    public ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new DeviceReading { Timestamp = time.GetUtcNow(), Meter = new MeterReading(options.PowerW * 10) });
}
