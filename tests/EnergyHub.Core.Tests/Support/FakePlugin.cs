using System.ComponentModel.DataAnnotations;
using EnergyHub.Devices;
using EnergyHub.Options;
using EnergyHub.Plugins;
using EnergyHub.Services;

namespace EnergyHub.Core.Tests.Support;

/// <summary>Options of <see cref="FakePlugin"/>'s service: a required device reference, a number, a list.</summary>
public sealed class GuardOptions : ServiceOptions
{
    [Required]
    [DeviceRef(typeof(IInverter))]
    public string Inverter { get; init; } = "";

    [DeviceRef(typeof(IMeter))]
    public IReadOnlyList<string> Meters { get; init; } = [];

    [System.ComponentModel.DataAnnotations.Range(0, 100)]
    public int Count { get; init; } = 1;

    public double ThresholdPerKwh { get; init; }
}

/// <summary>Drivers fake-meter and fake-inverter, service Guard: what config validation is tested against.</summary>
public sealed class FakePlugin : IPlugin
{
    public void Register(IPluginRegistry registry)
    {
        registry.AddDevice<FakeMeterOptions, FakeMeter>("fake-meter", (o, c) => new FakeMeter(c.Id, c.Time) { PowerW = o.PowerW });
        registry.AddDevice<DeviceOptions, FakeInverter>("fake-inverter", (_, c) => new FakeInverter(c.Id, c.Time));
        registry.AddService<GuardOptions>("Guard", (_, _) => new ScriptedService("Guard", _ => Task.CompletedTask));
    }
}

/// <summary>A service whose tick does what the test says, and which records its safe-state restores.</summary>
public sealed class ScriptedService(string name, Func<ServiceTick, Task> tick, bool standsInForHardware = false, List<string>? stopOrder = null,
    Func<int, Task>? stop = null) : IService
{
    public string Name => name;
    public int Stops { get; private set; }
    public bool StandsInForHardware => standsInForHardware;

    public Task ExecuteAsync(ServiceTick serviceTick, CancellationToken cancellationToken) => tick(serviceTick);

    public Task StopAsync(ServiceTick serviceTick, CancellationToken cancellationToken)
    {
        Stops++;
        if (stopOrder is not null)
        {
            lock (stopOrder)
            {
                stopOrder.Add(name);
            }
        }
        return stop?.Invoke(Stops) ?? Task.CompletedTask;
    }
}
