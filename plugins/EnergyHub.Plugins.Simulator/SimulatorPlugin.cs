using EnergyHub.Plugins;

namespace EnergyHub.Plugins.Simulator;

/// <summary>Registers the simulated devices.</summary>
public sealed class SimulatorPlugin : IPlugin
{
    public void Register(IPluginRegistry registry) =>
        registry.AddDevice<SimMeterOptions, SimMeter>("sim-meter", (options, context) => new SimMeter(context.Id, options, context.Time));
}
