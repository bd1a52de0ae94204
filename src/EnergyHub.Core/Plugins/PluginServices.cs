using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Plugins;

/// <summary>
/// The host's services as plugins see them: only what the SDK promises (an <see cref="IHttpClientFactory"/>, the
/// <see cref="ILoggerFactory"/>, the clock), never the command gate, the site state or anything else a plugin could use
/// to go around the one-way data flow.
/// </summary>
public sealed class PluginServices(IServiceProvider host) : IServiceProvider
{
    private static readonly HashSet<Type> Shared = [typeof(IHttpClientFactory), typeof(ILoggerFactory), typeof(TimeProvider)];

    /// <summary>Wraps <paramref name="services"/> unless it is already the plugins' view.</summary>
    public static IServiceProvider Of(IServiceProvider services) => services as PluginServices ?? new PluginServices(services);

    /// <inheritdoc />
    public object? GetService(Type serviceType) => Shared.Contains(serviceType) ? host.GetService(serviceType) : null;
}
