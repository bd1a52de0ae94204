namespace EnergyHub.Plugins.Axpert;

/// <summary>Registers the <c>axpert</c> driver.</summary>
public sealed class AxpertPlugin : IPlugin
{
    public void Register(IPluginRegistry registry) =>
        registry.AddDevice<AxpertOptions, AxpertInverter>("axpert", (options, context) => new AxpertInverter(options, context));
}
