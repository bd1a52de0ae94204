using EnergyHub.Core.Config;
using EnergyHub.Core.Plugins;
using EnergyHub.Plugins;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Devices;

/// <summary>Every configured device, built from its driver and wrapped in its <see cref="DeviceSession"/>.</summary>
public sealed class DeviceRegistry : IAsyncDisposable, IDisposable
{
    private readonly Dictionary<string, DeviceSession> _sessions;
    private readonly SharedResources _shared;

    public DeviceRegistry(IEnumerable<DeviceSession> sessions, SharedResources? shared = null)
    {
        _sessions = sessions.ToDictionary(s => s.Id, StringComparer.OrdinalIgnoreCase);
        _shared = shared ?? new SharedResources();
    }

    /// <summary>The resources the site's devices and services share; disposed after the devices close.</summary>
    public ISharedResources Shared => _shared;

    public IReadOnlyCollection<DeviceSession> Sessions => _sessions.Values;

    public bool TryGet(string id, out DeviceSession session) => _sessions.TryGetValue(id, out session!);

    /// <summary>
    /// Builds every device of <paramref name="config"/>. A driver factory that throws is reported as a located
    /// <see cref="ConfigException"/>, since it means the options did not make sense to the driver.
    /// </summary>
    public static DeviceRegistry Create(SiteConfig config, IServiceProvider services, ILoggerFactory loggers, TimeProvider time, SharedResources? shared = null,
        bool callsInline = false)
    {
        var sessions = new List<DeviceSession>();
        var errors = new List<ConfigError>();
        shared ??= new SharedResources();
        var forPlugins = PluginServices.Of(services);
        foreach (var device in config.Devices)
        {
            var dataDir = Path.Combine(config.DataDir, "devices", device.Id);
            try
            {
                Directory.CreateDirectory(dataDir);
                var context = new DeviceContext(device.Id, loggers.CreateLogger($"EnergyHub.Device.{device.Id}"), time, dataDir, forPlugins)
                {
                    ConfigDirectory = config.Document.BaseDirectory,
                    SiteTimeZone = config.Common.TimeZone.Length > 0 ? config.Common.Zone : null,
                    Shared = shared,
                };
                var instance = device.Driver.Create(device.Options, context);
                sessions.Add(new DeviceSession(instance, device.Driver.Name, device.Options, time) { CallsInline = callsInline });
            }
            catch (Exception ex)
            {
                errors.Add(config.Document.Error($"Device:{device.Id}", null,
                    $"driver '{device.Driver.Name}' could not create the device: {ex.Message}",
                    $"options the {device.Driver.Name} driver accepts; see config/energyhub.ini"));
            }
        }
        if (errors.Count > 0)
        {
            foreach (var session in sessions)
            {
                session.DisposeAsync().AsTask().ContinueWith(_ => { }, TaskScheduler.Default).GetAwaiter().GetResult(); // errors are the ones reported
            }
            shared.DisposeAsync().AsTask().ContinueWith(_ => { }, TaskScheduler.Default).GetAwaiter().GetResult();
            throw new ConfigException(errors);
        }
        return new DeviceRegistry(sessions, shared);
    }

    private int _disposed;

    /// <summary>
    /// Closes every device once, all at once, each within its timeout; later calls do nothing. Throws an
    /// <see cref="AggregateException"/> naming each device that failed to close, after trying them all.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        var closing = _sessions.Values.Select(async session =>
        {
            try
            {
                await session.DisposeAsync().ConfigureAwait(false);
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        });
        var failures = (await Task.WhenAll(closing).ConfigureAwait(false)).OfType<Exception>().ToList();
        try
        {
            await _shared.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failures.Add(new InvalidOperationException($"a shared resource did not close cleanly: {ex.Message}", ex));
        }
        if (failures.Count > 0)
        {
            throw new AggregateException($"{failures.Count} device(s) did not close cleanly: {string.Join("; ", failures.Select(f => f.Message))}", failures);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
