namespace EnergyHub.Plugins.GoE;

/// <summary>Registers the <c>goe</c> wallbox driver.</summary>
public sealed class GoEPlugin : IPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistry registry) =>
        registry.AddDevice<GoEOptions, GoEWallbox>("goe", (options, context) => new GoEWallbox(options, context));
}
