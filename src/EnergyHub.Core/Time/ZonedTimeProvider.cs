namespace EnergyHub.Core.Time;

/// <summary>A clock whose local time zone is the site's (<c>[Common] TimeZone</c>), whatever the machine's is; everything else is the inner clock's.</summary>
public sealed class ZonedTimeProvider(TimeProvider inner, TimeZoneInfo zone) : TimeProvider
{
    /// <summary>
    /// The site's clock on <paramref name="inner"/>: local time is <see cref="Config.CommonOptions.Zone"/> (the configured
    /// zone, else this machine's), for <c>run</c>, <c>simulate</c> and every verb alike, so a time of day in the config
    /// means one instant whichever runs it.
    /// </summary>
    public static TimeProvider For(Config.CommonOptions common, TimeProvider inner) => new ZonedTimeProvider(inner is ZonedTimeProvider zoned ? zoned.Inner : inner, common.Zone);

    /// <summary>The clock it wraps.</summary>
    public TimeProvider Inner => inner;

    public override TimeZoneInfo LocalTimeZone => zone;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => inner.CreateTimer(callback, state, dueTime, period);
}
