namespace EnergyHub.Services.SurplusDistributor;

/// <summary>An allowance decided for one consumer, with why.</summary>
/// <param name="W">The allowance, W.</param>
/// <param name="Why">In words, for the decision log and the page.</param>
public sealed record AllowanceDecision(double W, string Why);

/// <summary>How long a consumer stays on or off at least, once switched.</summary>
/// <param name="MinOnTime">Once granted, it keeps its allowance at least this long.</param>
/// <param name="MinOffTime">Once at 0, it stays at 0 at least this long.</param>
public sealed record HoldTimes(TimeSpan MinOnTime, TimeSpan MinOffTime)
{
    /// <summary>No hold.</summary>
    public static HoldTimes None { get; } = new(TimeSpan.Zero, TimeSpan.Zero);
}

/// <summary>
/// Keeps allowances from swinging a whole step every cycle while the surplus hovers (es-ESS had no hysteresis): an
/// allowance rises to what the surplus gives, but falls only when even the surplus plus <paramref name="marginW"/> no
/// longer carries it; and a consumer switched on (off) stays so for its <see cref="HoldTimes.MinOnTime"/>
/// (<see cref="HoldTimes.MinOffTime"/>).
/// </summary>
/// <param name="marginW">How far the surplus may fall short of an allowance before a step is taken back, W.</param>
public sealed class SurplusHysteresis(double marginW)
{
    private readonly Dictionary<string, (double W, DateTimeOffset SwitchedAt)> _last = new(StringComparer.Ordinal);

    /// <summary>The margin, W.</summary>
    public double MarginW => marginW;

    /// <summary>
    /// The allowances at <paramref name="now"/>, from what the surplus gives (<paramref name="atSurplus"/>) and what it
    /// would give with the margin (<paramref name="withMargin"/>); <paramref name="holds"/> by consumer key.
    /// </summary>
    public IReadOnlyDictionary<string, AllowanceDecision> Decide(DateTimeOffset now, SurplusAllocation atSurplus, SurplusAllocation withMargin,
        Func<string, HoldTimes> holds)
    {
        var decisions = new Dictionary<string, AllowanceDecision>(StringComparer.Ordinal);
        foreach (var gone in _last.Keys.Where(k => !atSurplus.Allowances.ContainsKey(k)).ToList())
        {
            _last.Remove(gone); // no longer taking part: it starts afresh when it is back
        }
        foreach (var (key, upper) in atSurplus.Allowances)
        {
            var lower = Math.Max(upper, withMargin.Allowances.GetValueOrDefault(key));
            var (before, switchedAt) = _last.TryGetValue(key, out var last) ? last : (0, DateTimeOffset.MinValue);
            var decision = before < upper ? new AllowanceDecision(upper, "the surplus carries it")
                : before > lower ? new AllowanceDecision(lower, lower == 0 ? "the surplus no longer carries it" : "the surplus carries less")
                : before == upper ? new AllowanceDecision(upper, upper == 0 ? "nothing left for it" : "the surplus carries it")
                : new AllowanceDecision(before, $"kept: the surplus is short of it by less than the {marginW:0} W margin");
            var hold = holds(key);
            var since = now - switchedAt;
            if (before > 0 && decision.W == 0 && since < hold.MinOnTime)
            {
                decision = new AllowanceDecision(before, $"kept on: on for {Minutes(since)} of its MinOnTime {Minutes(hold.MinOnTime)}");
            }
            else if (before == 0 && decision.W > 0 && since < hold.MinOffTime)
            {
                decision = new AllowanceDecision(0, $"held off: off for {Minutes(since)} of its MinOffTime {Minutes(hold.MinOffTime)}");
            }
            decisions[key] = decision;
            _last[key] = (decision.W, (before > 0) != (decision.W > 0) ? now : switchedAt);
        }
        return decisions;
    }

    /// <summary>Forgets every consumer: the next decision starts from 0 (after a stop, or a failed cycle).</summary>
    public void Reset() => _last.Clear();

    private static string Minutes(TimeSpan span) => span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} min" : $"{span.TotalSeconds:0} s";
}
