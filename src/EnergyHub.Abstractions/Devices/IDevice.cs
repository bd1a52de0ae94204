using EnergyHub.Readings;

namespace EnergyHub.Devices;

/// <summary>
/// A device a driver plugin controls or reads. The core owns the device: exactly one poller calls
/// <see cref="ReadAsync"/>, and commands arrive through the same serialized channel, never concurrently.
/// A device also implements one or more role contracts (<see cref="IInverter"/>, <see cref="IMeter"/>, ...).
/// </summary>
public interface IDevice
{
    /// <summary>The id from <c>[Device:&lt;id&gt;]</c> in config.ini.</summary>
    string Id { get; }

    /// <summary>A name people recognise, e.g. "GoodWe GW5000-DNS-30 (roof)".</summary>
    string DisplayName { get; }

    /// <summary>
    /// Reads the device once. Throw on any failure (timeout, bad frame, refused login); the core counts
    /// failures, marks the device stale or offline, and retries with backoff.
    /// </summary>
    ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken);
}
