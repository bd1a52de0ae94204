namespace EnergyHub.Core.Time;

/// <summary>Capped exponential backoff: <c>first × 2^(failures−1)</c>, never more than the cap.</summary>
public static class Backoff
{
    /// <summary>The wait after <paramref name="failures"/> consecutive failures (1 = the first failure).</summary>
    public static TimeSpan Delay(TimeSpan first, int failures, TimeSpan cap)
    {
        var factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, Math.Max(cap.Ticks, first.Ticks)));
    }
}
