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

    /// <summary>
    /// True runs the service in the site cycle instead of on its own timer: every <c>[Common] SiteCycleInterval</c> one
    /// snapshot of the site is taken and every service of the cycle ticks on it, one after the other in
    /// <see cref="Priority"/> order, each one's commands through the gate before the next decides. For services that act
    /// on the same energy balance (export guard, EV charging, surplus, battery scheduling), so they do not race on
    /// separate timers over the same late telemetry. <see cref="Interval"/> is then only the base of the restart backoff.
    /// </summary>
    public bool SiteCycle { get; init; }

    /// <summary>The order within the site cycle: lower ticks first (ties in config order).</summary>
    [Range(0, 1000)]
    public int Priority { get; init; } = 100;
}
