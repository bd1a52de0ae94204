using EnergyHub.Devices;
using EnergyHub.Options;
using EnergyHub.Plugins;
using EnergyHub.Readings;

namespace NeedsDependency;

public sealed class NeedsDependencyPlugin : IPlugin
{
    public void Register(IPluginRegistry registry) =>
        registry.AddDevice<DeviceOptions, NullMeter>(TestDependency.Greeting.DriverName(), (_, context) => new NullMeter(context.Id));
}

public sealed class NullMeter(string id) : IMeter
{
    public string Id => id;
    public string DisplayName => "Null meter";
    public MeterRole Role => MeterRole.Load;

    public ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new DeviceReading { Timestamp = DateTimeOffset.UnixEpoch, Meter = new MeterReading(0) });
}
