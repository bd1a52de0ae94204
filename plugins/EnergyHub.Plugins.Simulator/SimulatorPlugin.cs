using EnergyHub.Plugins.Simulator.Emulators;

namespace EnergyHub.Plugins.Simulator;

/// <summary>Registers the simulated devices and the price API emulators.</summary>
public sealed class SimulatorPlugin : IPlugin
{
    public void Register(IPluginRegistry registry)
    {
        registry.AddDevice<SimMeterOptions, SimMeter>("sim-meter", (options, context) => new SimMeter(context.Id, options, context.Time));
        registry.AddService<AmberEmulatorOptions>("AmberEmulator", (options, context) => new EmulatorService(context.Name, options.Port,
            () => new AmberEmulator(options.ApiKey, options.Snapshot, context.Time), context.Logger));
        registry.AddService<PseEmulatorOptions>("PseEmulator", (options, context) => new EmulatorService(context.Name, options.Port,
            () => new PseEmulator(options.DataFile, options.CurrencyFactor, context.Time), context.Logger));
    }
}
