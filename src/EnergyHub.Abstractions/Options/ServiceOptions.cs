using System.ComponentModel.DataAnnotations;

namespace EnergyHub.Options;

/// <summary>
/// The keys every service section (<c>[&lt;ServiceName&gt;]</c>) accepts. A service's options class derives from
/// this and adds its own keys; the core binds and validates them at start-up.
/// </summary>
public class ServiceOptions
{
    /// <summary>Time between two ticks of the service.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "1.00:00:00")]
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one tick may take before it is cancelled and counted as a failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
