namespace EnergyHub.Plugins.Http;

/// <summary>Registers the generic HTTP device drivers.</summary>
public sealed class HttpPlugin : IPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistry registry) =>
        registry.AddDevice<HttpConsumerOptions, HttpConsumer>("http-consumer", (options, context) => new HttpConsumer(options, context));
}
