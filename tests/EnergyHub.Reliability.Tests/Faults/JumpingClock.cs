using EnergyHub.Core.Time;

namespace EnergyHub.Reliability.Tests.Faults;

/// <summary>A scaled clock (as <c>[Common] Speed</c> gives) whose wall time can jump, as an NTP correction makes it.</summary>
public sealed class JumpingClock(DateTimeOffset start, double speed) : TimeProvider
{
    private readonly ScaledTimeProvider _inner = new(start, speed);
    private long _offsetTicks;

    public void Jump(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, dueTime, period);
}
