using EnergyHub.Plugins;

namespace EnergyHub.Plugins.Pse;

/// <summary>Registers the <c>pse</c> price driver.</summary>
public sealed class PsePlugin : IPlugin
{
    public void Register(IPluginRegistry registry) =>
        registry.AddDevice<PseOptions, PsePriceSource>("pse", (options, context) => new PsePriceSource(options, context));
}
