using System.ComponentModel.DataAnnotations;

namespace EnergyHub.Options;

/// <summary>
/// The keys every <c>[Device:&lt;id&gt;]</c> section accepts. A driver's options class derives from this and adds
/// its own keys as public properties; the core binds and validates them at start-up
/// (<see cref="RequiredAttribute"/>, <see cref="RangeAttribute"/>, <see cref="DeviceRefAttribute"/> are honoured).
/// Durations accept <c>500ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c> or plain seconds.
/// </summary>
public class DeviceOptions
{
    /// <summary>The driver name a plugin registered, e.g. <c>goodwe</c>.</summary>
    [Required]
    public string Driver { get; init; } = "";

    /// <summary>A name for logs and the dashboard; defaults to the driver's own.</summary>
    public string? DisplayName { get; init; }

    /// <summary>How often the device is read.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "1.00:00:00")]
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one read or command may take before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Age after which the device's last reading is reported Stale; default three poll intervals.</summary>
    public TimeSpan? StaleAfter { get; init; }

    /// <summary>Consecutive failed reads after which the device is reported Offline.</summary>
    [Range(1, 1000)]
    public int OfflineAfterFailures { get; init; } = 3;

    /// <summary>Shortest time between two commands of the same kind to this device (safety commands excepted).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CommandMinInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>An unchanged command value is re-sent after this long, in case the device forgot it (e.g. rebooted).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CommandReassertAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The age after which readings count as stale: <see cref="StaleAfter"/> or three poll intervals.</summary>
    public TimeSpan EffectiveStaleAfter => StaleAfter ?? PollInterval * 3;
}
