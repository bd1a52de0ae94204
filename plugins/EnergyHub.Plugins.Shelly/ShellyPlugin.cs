namespace EnergyHub.Plugins.Shelly;

/// <summary>Registers the <c>shelly</c> meter and relay driver.</summary>
public sealed class ShellyPlugin : IPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistry registry) =>
        registry.AddDevice<ShellyOptions, ShellyDevice>("shelly", (options, context) => new ShellyDevice(options, context));
}
