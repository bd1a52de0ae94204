namespace EnergyHub.Core.Time;

/// <summary>
/// The clock a timeout on a real call runs on. Under an accelerated clock (<c>[Common] Speed</c>) it is real time: a
/// driver's read or a service's tick takes real milliseconds however fast the site's clock runs, and 30 s of a timeout
/// must not be half a second. Any other clock is its own (tests drive timeouts with a manual clock).
/// </summary>
public static class TimeoutClock
{
    /// <summary>The clock timeouts of calls made under <paramref name="time"/> run on.</summary>
    public static TimeProvider For(TimeProvider time) => time switch
    {
        ZonedTimeProvider zoned => For(zoned.Inner),
        ScaledTimeProvider => TimeProvider.System,
        _ => time,
    };
}
