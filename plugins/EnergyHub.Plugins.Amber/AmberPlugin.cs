using EnergyHub.Plugins;

namespace EnergyHub.Plugins.Amber;

/// <summary>Registers the <c>amber</c> price driver.</summary>
public sealed class AmberPlugin : IPlugin
{
    public void Register(IPluginRegistry registry) =>
        registry.AddDevice<AmberOptions, AmberPriceSource>("amber", (options, context) => new AmberPriceSource(options, context));
}
