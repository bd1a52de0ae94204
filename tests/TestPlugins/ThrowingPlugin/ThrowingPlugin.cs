using EnergyHub.Plugins;

namespace ThrowingPlugin;

public sealed class ThrowingPlugin : IPlugin
{
    public void Register(IPluginRegistry registry) =>
        throw new InvalidOperationException("this plugin is broken on purpose");
}
