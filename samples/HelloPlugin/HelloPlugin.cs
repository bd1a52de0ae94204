using EnergyHub.Plugins;

namespace HelloPlugin;

/// <summary>The plugin's entry point: registers the <c>hello</c> driver.</summary>
public sealed class HelloPlugin : IPlugin
{
    public void Register(IPluginRegistry registry) =>
        registry.AddDevice<HelloOptions, HelloMeter>("hello", (options, context) => new HelloMeter(context.Id, options, context.Time));
}
