namespace EnergyHub.Core.Time;

/// <summary>
/// A clock that starts at a chosen instant and runs <c>speed</c> times as fast as real time; timers are scaled to
/// match. Lets a simulated site show a day in minutes (<c>[Common] Speed</c>, <c>ClockStart</c>).
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly DateTimeOffset _start;
    private readonly double _speed;
    private readonly long _realStart = System.GetTimestamp();

    /// <summary>Starts at <paramref name="start"/>, running <paramref name="speed"/> times real time.</summary>
    public ScaledTimeProvider(DateTimeOffset start, double speed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        (_start, _speed) = (start.ToUniversalTime(), speed);
    }

    public override DateTimeOffset GetUtcNow() => _start + System.GetElapsedTime(_realStart) * _speed;

    public override long GetTimestamp() => _realStart + (long)((System.GetTimestamp() - _realStart) * _speed);

    public override long TimestampFrequency => System.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, Scale(dueTime), Scale(period));

    private TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : span / _speed;
}
