namespace EnergyHub.Plugins.AlphaEss;

/// <summary>Registers the <c>alphaess</c> driver.</summary>
public sealed class AlphaEssPlugin : IPlugin
{
    public void Register(IPluginRegistry registry) =>
        registry.AddDevice<AlphaEssOptions, AlphaEssSystem>("alphaess", (options, context) => new AlphaEssSystem(options, context));
}
