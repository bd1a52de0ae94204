namespace EnergyHub.Protocols.Http;

/// <summary>HTTP clients for cloud drivers: from the host's <see cref="IHttpClientFactory"/>, whose pooled handlers follow DNS changes and are shared.</summary>
public static class PluginHttp
{
    /// <summary>
    /// A client named <paramref name="name"/> from the host's factory in <paramref name="services"/>; over
    /// <paramref name="handler"/> when a test gives one, and over a handler of its own when there is no factory (a tool
    /// that builds a device without a host).
    /// </summary>
    public static HttpClient Create(IServiceProvider services, string name, HttpMessageHandler? handler = null) =>
        handler is not null ? new HttpClient(handler)
        : services.GetService(typeof(IHttpClientFactory)) is IHttpClientFactory factory ? factory.CreateClient(name)
        : new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
}
