namespace EnergyHub.Core.Time;

/// <summary>A clock whose local time zone is the site's (<c>[Common] TimeZone</c>), whatever the machine's is; everything else is the inner clock's.</summary>
public sealed class ZonedTimeProvider(TimeProvider inner, TimeZoneInfo zone) : TimeProvider
{
    /// <summary>The clock it wraps.</summary>
    public TimeProvider Inner => inner;

    public override TimeZoneInfo LocalTimeZone => zone;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => inner.CreateTimer(callback, state, dueTime, period);
}
