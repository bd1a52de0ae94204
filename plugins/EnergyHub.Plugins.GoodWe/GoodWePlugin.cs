namespace EnergyHub.Plugins.GoodWe;

/// <summary>Registers the <c>goodwe</c> driver.</summary>
public sealed class GoodWePlugin : IPlugin
{
    public void Register(IPluginRegistry registry) =>
        registry.AddDevice<GoodWeOptions, GoodWeInverter>("goodwe", (options, context) => new GoodWeInverter(options, context));
}
