using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins;

/// <summary>What the host hands a driver factory besides the device's options.</summary>
/// <param name="Id">The device id from <c>[Device:&lt;id&gt;]</c>.</param>
/// <param name="Logger">A logger named after the device.</param>
/// <param name="Time">The clock; never read <see cref="DateTimeOffset.UtcNow"/> directly.</param>
/// <param name="DataDir">A directory the device may keep files in (caches, counters); it exists.</param>
/// <param name="Services">What the host shares with plugins: <c>IHttpClientFactory</c>, <c>ILoggerFactory</c> and
/// <see cref="TimeProvider"/>; nothing else of the host (its command gate or site state) is reachable.</param>
public sealed record DeviceContext(
    string Id,
    ILogger Logger,
    TimeProvider Time,
    string DataDir,
    IServiceProvider Services)
{
    /// <summary>The folder of the config file; relative paths in a device's options resolve against it.</summary>
    public string ConfigDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Resources the site's devices and services share (a gateway connection, a broker connection).</summary>
    public ISharedResources Shared { get; init; } = new SharedResources();

    /// <summary>The site's <c>[Common] TimeZone</c> when the config names one; null when it runs in this machine's zone.</summary>
    public TimeZoneInfo? SiteTimeZone { get; init; }
}

/// <summary>What the host hands a service factory besides the service's options.</summary>
/// <param name="Name">The service name from <c>[Services]</c>.</param>
/// <param name="Logger">A logger named after the service.</param>
/// <param name="Time">The clock; never read <see cref="DateTimeOffset.UtcNow"/> directly.</param>
/// <param name="Services">What the host shares with plugins (see <see cref="DeviceContext.Services"/>).</param>
public sealed record ServiceContext(
    string Name,
    ILogger Logger,
    TimeProvider Time,
    IServiceProvider Services)
{
    /// <summary>Resources the site's devices and services share.</summary>
    public ISharedResources Shared { get; init; } = new SharedResources();
}
