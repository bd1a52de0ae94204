namespace EnergyHub.Protocols;

/// <summary>Capped exponential backoff, <c>first × 2^(failures−1)</c> but never more than the cap; for retrying devices and links.</summary>
public static class Backoff
{
    /// <summary>The wait after <paramref name="failures"/> consecutive failures (1 = the first failure).</summary>
    /// <param name="first">The wait after the first failure.</param>
    /// <param name="failures">Consecutive failures so far.</param>
    /// <param name="cap">The longest wait (or <paramref name="first"/>, when that is longer).</param>
    public static TimeSpan Delay(TimeSpan first, int failures, TimeSpan cap)
    {
        var factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, Math.Max(cap.Ticks, first.Ticks)));
    }
}
