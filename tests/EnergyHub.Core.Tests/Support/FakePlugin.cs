using System.ComponentModel.DataAnnotations;
using EnergyHub.Devices;
using EnergyHub.Options;
using EnergyHub.Plugins;
using EnergyHub.Services;

namespace EnergyHub.Core.Tests.Support;

/// <summary>Options of <see cref="FakePlugin"/>'s service: a required device reference, a number, a list.</summary>
public sealed class GuardOptions : ServiceOptions, System.ComponentModel.DataAnnotations.IValidatableObject
{
    [Required]
    [DeviceRef(typeof(IInverter))]
    public string Inverter { get; init; } = "";

    [DeviceRef(typeof(IMeter))]
    public IReadOnlyList<string> Meters { get; init; } = [];

    [System.ComponentModel.DataAnnotations.Range(0, 100)]
    public int Count { get; init; } = 1;

    public double ThresholdPerKwh { get; init; }

    [Subsections]
    public IReadOnlyDictionary<string, GuardPartOptions> Parts { get; init; } = new Dictionary<string, GuardPartOptions>();

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (Count == 0 && ThresholdPerKwh != 0)
        {
            yield return new($"Count = 0 needs ThresholdPerKwh = 0", [nameof(Count)]);
        }
    }
}

/// <summary>A <c>[Guard:&lt;name&gt;]</c> subsection.</summary>
public sealed class GuardPartOptions
{
    [Required]
    [System.ComponentModel.DataAnnotations.Range(0.0, 10.0)]
    public double Weight { get; init; }

    [DeviceRef(typeof(IMeter))]
    public string Meter { get; init; } = "";
}

/// <summary>Options of the services that command devices: each owns what its references say.</summary>
public sealed class CommandingOptions : ServiceOptions
{
    [DeviceRef(typeof(IInverter), Commands = [typeof(EnergyHub.Commands.SetActivePowerLimit)])]
    public string Limits { get; init; } = "";

    [DeviceRef(Commands = [typeof(EnergyHub.Commands.SetAllowance)])]
    public string Allows { get; init; } = "";

    [DeviceRef(Commands = [typeof(EnergyHub.Commands.SetSwitch)])]
    public string Switches { get; init; } = "";
}

/// <summary>Options of a service that shares among the devices its subsections name (the SurplusDistributor's shape).</summary>
public sealed class SharingOptions : ServiceOptions
{
    [Subsections(KeysAreDevices = typeof(IDevice), Commands = [typeof(EnergyHub.Commands.SetAllowance), typeof(EnergyHub.Commands.SetSwitch)])]
    public IReadOnlyDictionary<string, GuardPartOptions> Consumers { get; init; } = new Dictionary<string, GuardPartOptions>();
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

/// <summary>Options of a service whose subsections start from its own values (EvCharging's shape: one charger per subsection).</summary>
public sealed class InheritingOptions : ServiceOptions
{
    [DeviceRef(typeof(IConsumer), Commands = [typeof(EnergyHub.Commands.SetAllowance)])]
    public string Allows { get; init; } = "";

    [DeviceRef(typeof(IMeter))]
    public string Meter { get; init; } = "";

    public double Weight { get; init; } = 1;

    [Subsections(InheritSectionKeys = true)]
    public IReadOnlyDictionary<string, InheritingOptions> More { get; init; } = new Dictionary<string, InheritingOptions>();
}

/// <summary>A relay-like consumer and three services that command devices, for the ownership checks.</summary>
public sealed class CommandingPlugin : IPlugin
{
    public void Register(IPluginRegistry registry)
    {
        registry.AddDevice<DeviceOptions, FakeConsumer>("fake-relay", (_, c) => new FakeConsumer(c.Id));
        foreach (var name in new[] { "Limiter", "Heater", "Pool" })
        {
            registry.AddService<CommandingOptions>(name, (_, _) => new ScriptedService(name, _ => Task.CompletedTask));
        }
        registry.AddService<SharingOptions>("Sharer", (_, _) => new ScriptedService("Sharer", _ => Task.CompletedTask));
        registry.AddService<InheritingOptions>("Charging", (_, _) => new ScriptedService("Charging", _ => Task.CompletedTask));
    }
}

/// <summary>A consumer that accepts any allowance and can be switched.</summary>
public sealed class FakeConsumer(string id) : IConsumer, ISwitch
{
    public Task SetSwitchAsync(bool on, CancellationToken cancellationToken) => Task.CompletedTask;

    public string Id => id;
    public string DisplayName => "Fake relay";
    public ConsumerProfile Profile => new(2000, 2000, 2000, 1);

    public ValueTask<Readings.DeviceReading> ReadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new Readings.DeviceReading { Timestamp = DateTimeOffset.UnixEpoch });

    public Task SetAllowanceAsync(double watts, CancellationToken cancellationToken) => Task.CompletedTask;
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
