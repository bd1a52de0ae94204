using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins;

/// <summary>What the host hands a driver factory besides the device's options.</summary>
/// <param name="Id">The device id from <c>[Device:&lt;id&gt;]</c>.</param>
/// <param name="Logger">A logger named after the device.</param>
/// <param name="Time">The clock; never read <see cref="DateTimeOffset.UtcNow"/> directly.</param>
/// <param name="DataDir">A directory the device may keep files in (caches, counters); it exists.</param>
/// <param name="Services">Host services shared with plugins (e.g. an <c>HttpClient</c> factory).</param>
public sealed record DeviceContext(
    string Id,
    ILogger Logger,
    TimeProvider Time,
    string DataDir,
    IServiceProvider Services)
{
    /// <summary>The folder of the config file; relative paths in a device's options resolve against it.</summary>
    public string ConfigDirectory { get; init; } = Directory.GetCurrentDirectory();
}

/// <summary>What the host hands a service factory besides the service's options.</summary>
/// <param name="Name">The service name from <c>[Services]</c>.</param>
/// <param name="Logger">A logger named after the service.</param>
/// <param name="Time">The clock; never read <see cref="DateTimeOffset.UtcNow"/> directly.</param>
/// <param name="Services">Host services shared with plugins.</param>
public sealed record ServiceContext(
    string Name,
    ILogger Logger,
    TimeProvider Time,
    IServiceProvider Services);
