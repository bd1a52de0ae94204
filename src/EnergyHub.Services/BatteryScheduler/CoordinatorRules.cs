using System.Globalization;

namespace EnergyHub.Services.BatteryScheduler;

/// <summary>The GoodWe coordinator's numbers (seed §4.4), in the price's currency where they are prices.</summary>
public sealed record RulesSettings
{
    /// <summary>Below this state of charge: charge at once, %.</summary>
    public double EmergencySocPct { get; init; } = 5;
    /// <summary>Below this: charge unless waiting is clearly cheaper, %.</summary>
    public double CriticalSocPct { get; init; } = 12;
    /// <summary>Below this: charge when the price is near the cheapest of the next 12 h, %.</summary>
    public double OpportunisticSocPct { get; init; } = 50;
    /// <summary>A charge that was started or stopped stands at least this long.</summary>
    public TimeSpan FlipFlop { get; init; } = TimeSpan.FromMinutes(15);
    /// <summary>Charging stops here outside a normal-tier session, %.</summary>
    public double StopSocPct { get; init; } = 90;
    /// <summary>A price above this stops charging (above the emergency tier); the adaptive value (median × 1.5 × season) when there is history.</summary>
    public double HighPricePerKwh { get; init; } = 1.10;
    /// <summary>The critical tier charges at once at or below this; the adaptive value (median × 1.3 × season) when there is history.</summary>
    public double CriticalPricePerKwh { get; init; } = 1.20;
    /// <summary>In the critical tier above 10 %, a price above this waits for a drop of 30 % within 2 h.</summary>
    public double CriticalWaitAbovePerKwh { get; init; } = 0.8;
    /// <summary>The most hours the critical tier waits for a cheaper price (before its multipliers).</summary>
    public double MaxWaitHours { get; init; } = 8;
    /// <summary>The opportunistic tier charges at up to this times the cheapest of the next 12 h (1.25 in T2).</summary>
    public double OpportunisticTolerance { get; init; } = 1.15;
    /// <summary>The pre-peak rule charges at or below this when the 17–22 h prices are 10 % higher.</summary>
    public double PrePeakMaxPerKwh { get; init; } = 0.9;
    /// <summary>A normal-tier session does not start at or above this, %.</summary>
    public double NormalStartSocPct { get; init; } = 85;
    /// <summary>A normal-tier session charges to this, %.</summary>
    public double SessionTargetSocPct { get; init; } = 95;
    /// <summary>Normal-tier sessions a day.</summary>
    public int MaxSessionsPerDay { get; init; } = 4;
    /// <summary>A new session needs the battery this far below where the last one ended, %.</summary>
    public double MinDischargeDepthPct { get; init; } = 10;
    /// <summary>The battery's capacity, for the T2 deadline rule, kWh.</summary>
    public double CapacityKwh { get; init; } = 10;
    /// <summary>In an off-peak (T2) window the opportunistic tier charges at up to this times the cheapest of the next 12 h.</summary>
    public double OffPeakTolerance { get; init; } = 1.25;
    /// <summary>The pre-peak rule needs at least this state of charge, %.</summary>
    public double PrePeakMinSocPct { get; init; } = 20;
    /// <summary>The evening peak the pre-peak rule compares with: from this hour (local) …</summary>
    public int EveningPeakFromHour { get; init; } = 17;
    /// <summary>… to this hour, inclusive.</summary>
    public int EveningPeakToHour { get; init; } = 22;
    /// <summary>The pre-peak rule charges when the evening peak's mean is above the price now times this.</summary>
    public double EveningPriceMultiplier { get; init; } = 1.1;
    /// <summary>The adaptive high price: the history's median times this (and the season's multiplier).</summary>
    public double HighPriceMultiplier { get; init; } = 1.5;
    /// <summary>The adaptive critical price: the history's median times this (and the season's multiplier).</summary>
    public double CriticalPriceMultiplier { get; init; } = 1.3;
    /// <summary>The adaptive thresholds' multiplier from November to February.</summary>
    public double WinterMultiplier { get; init; } = 1.3;
    /// <summary>The adaptive thresholds' multiplier from June to August.</summary>
    public double SummerMultiplier { get; init; } = 0.85;
    /// <summary>How far back the adaptive thresholds and the normal tier's percentiles look.</summary>
    public TimeSpan AdaptiveLookback { get; init; } = TimeSpan.FromDays(1);
    /// <summary>The fewest prices in that history for the adaptive thresholds; fewer: the fixed ones.</summary>
    public int AdaptiveMinSamples { get; init; } = 24;
}

/// <summary>A price slot: its start (PSE's <c>dtime</c> is the end: shift it) and final import price.</summary>
/// <param name="Start">The slot's start.</param>
/// <param name="PerKwh">Its final import price.</param>
public sealed record PricePoint(DateTimeOffset Start, double PerKwh);

/// <summary>What the rules see at a decision.</summary>
/// <param name="Now">The decision's time (local: the tiers speak of hours of the day).</param>
/// <param name="SocPct">The state of charge.</param>
/// <param name="Prices">The published prices from the current slot on: today's, and tomorrow's once published.</param>
/// <param name="History">The prices of the last 24 h (for p40/p60); empty when there is no history yet.</param>
/// <param name="T2HoursLeft">In a G12-style off-peak (T2) window, the hours it has left; null outside one or without such a tariff.</param>
public sealed record RulesInputs(DateTimeOffset Now, double SocPct, IReadOnlyList<PricePoint> Prices, IReadOnlyList<PricePoint> History, double? T2HoursLeft = null);

/// <summary>A decision of the rules.</summary>
/// <param name="Charge">Charge from the grid now.</param>
/// <param name="TargetSocPct">Where this charge stops (what is sent to the inverter).</param>
/// <param name="Tier">The rule that decided.</param>
/// <param name="Why">In words.</param>
public sealed record RulesDecision(bool Charge, double TargetSocPct, string Tier, string Why);

/// <summary>
/// <c>Strategy = Rules</c>: the GoodWe coordinator's live tiers (seed §4.4) in their order, with its defects fixed:
/// prices keyed on slot starts and looked up past midnight when tomorrow's are published; a charge stops at its own
/// target (a normal session's 95 %, else 90 %), so there is no 90↔95 % stop-start; the cheapest hour at 00:00 counts;
/// the decision's target is what is sent. Its proactive rule needs a weather forecast and is left out.
/// </summary>
public sealed class CoordinatorRules(RulesSettings settings)
{
    private bool _charging;
    private DateTimeOffset _changedAt = DateTimeOffset.MinValue;
    private double _target;
    private bool _session;
    private DateOnly _sessionDay;
    private int _sessions;
    private double? _lastFullSoc;

    /// <summary>Whether it is charging, as it believes (reconcile with <see cref="Reconcile"/> on start).</summary>
    public bool Charging => _charging;

    /// <summary>Takes over what the inverter does at start (the seed's in-memory flag was false after every restart).</summary>
    public void Reconcile(bool charging, double targetSocPct, DateTimeOffset now) => (_charging, _target, _changedAt) = (charging, targetSocPct, now);

    /// <summary>Decides at <see cref="RulesInputs.Now"/>.</summary>
    public RulesDecision Decide(RulesInputs input)
    {
        var decision = Rules(input);
        if (decision.Charge != _charging)
        {
            (_charging, _changedAt) = (decision.Charge, input.Now);
        }
        _target = decision.Charge ? decision.TargetSocPct : _target;
        return decision;
    }

    private RulesDecision Rules(RulesInputs input)
    {
        var soc = input.SocPct;
        var price = Current(input);
        var sinceChange = input.Now - _changedAt;
        var (high, critical) = Thresholds(input);
        if (input.Now.Date != _sessionDay.ToDateTime(TimeOnly.MinValue))
        {
            (_sessionDay, _sessions) = (DateOnly.FromDateTime(input.Now.Date), 0);
        }

        if (_charging)
        {
            if (sinceChange < settings.FlipFlop)
            {
                return Charge(_target, "A1", $"charging started {sinceChange.TotalMinutes:0} min ago: it stands {settings.FlipFlop.TotalMinutes:0} min");
            }
            if (soc >= _target)
            {
                if (_session)
                {
                    (_session, _lastFullSoc) = (false, soc);
                }
                return Wait("A2", $"{Pct(soc)} reached the target {Pct(_target)}: charging stops");
            }
            if (soc > settings.EmergencySocPct && price > high)
            {
                _session = false;
                return Wait("A3", $"the price rose to {P(price)}, above {P(high)}: charging stops");
            }
            return Charge(_target, "A4", $"charging on to {Pct(_target)}");
        }
        if (sinceChange < settings.FlipFlop)
        {
            return Wait("B", $"charging stopped {sinceChange.TotalMinutes:0} min ago: it stays off {settings.FlipFlop.TotalMinutes:0} min");
        }
        if (soc < settings.EmergencySocPct)
        {
            return Charge(settings.StopSocPct, "D emergency", $"{Pct(soc)} is below {Pct(settings.EmergencySocPct)}: charging at any price");
        }
        if (soc < settings.CriticalSocPct)
        {
            return CriticalTier(input, price, high, critical);
        }
        if (price is not { } now)
        {
            return Wait(soc < settings.OpportunisticSocPct ? "F" : "G", "no price for now: waiting");
        }
        return soc < settings.OpportunisticSocPct ? OpportunisticTier(input, now) : NormalTier(input, now);
    }

    private RulesDecision CriticalTier(RulesInputs input, double? price, double high, double critical)
    {
        var soc = input.SocPct;
        var window = input.Prices.Where(p => p.Start >= HourOf(input.Now) && p.Start < HourOf(input.Now).AddHours(8)).ToList();
        if (price is not { } now || window.Count == 0)
        {
            return Charge(settings.StopSocPct, "E critical", "no price data: charging");
        }
        var cheapest = Hourly(window).MinBy(h => h.PerKwh)!;
        var savings = now > 0 ? (now - cheapest.PerKwh) / now * 100 : 0;
        var hoursToWait = (cheapest.Start - HourOf(input.Now)).TotalHours;
        if (Math.Round(soc) == 10 && now >= high)
        {
            return Wait("E critical", $"{Pct(soc)} and {P(now)} at or above the high price {P(high)}: waiting");
        }
        if (now <= critical)
        {
            var soon = Hourly(window.Where(p => p.Start < HourOf(input.Now).AddHours(2))).Select(h => h.PerKwh).DefaultIfEmpty(now).Min();
            return soc >= 10 && now > settings.CriticalWaitAbovePerKwh && soon <= now * 0.7
                ? Wait("E critical", $"{P(now)} now, {P(soon)} within 2 h (30 % less): waiting")
                : Charge(settings.StopSocPct, "E critical", $"{Pct(soc)} and {P(now)} at or below {P(critical)}: charging");
        }
        var savingsFactor = savings >= 80 ? 2.0 : savings >= 60 ? 1.6 : savings >= 40 ? 1.2 : 0.8;
        var socFactor = soc <= 8 ? 0.5 : soc <= 10 ? savings >= 70 ? 1.2 : savings >= 50 ? 1.0 : 0.7 : 1.0;
        var maxWait = Math.Clamp(settings.MaxWaitHours * savingsFactor * socFactor + (savings >= 85 ? 2 : 0), 1, 12);
        var local = input.Now.Hour;
        var waitPv = soc is >= 9 and <= 12 && local is >= 6 and <= 16;
        if (hoursToWait <= maxWait && savings >= 30)
        {
            return Wait("E critical", $"{P(now)} now, {P(cheapest.PerKwh)} at {cheapest.Start:HH:mm} ({savings:0} % less, within {maxWait:0.#} h): waiting");
        }
        return waitPv
            ? Wait("E critical", $"{Pct(soc)} in daylight: waiting for PV")
            : Charge(settings.StopSocPct, "E critical", $"{Pct(soc)}: {P(now)} and nothing clearly cheaper within {maxWait:0.#} h: charging");
    }

    private RulesDecision OpportunisticTier(RulesInputs input, double now)
    {
        var soc = input.SocPct;
        var cheapest12 = input.Prices.Where(p => p.Start >= HourOf(input.Now) && p.Start < input.Now.AddHours(12)).Select(p => p.PerKwh).DefaultIfEmpty(now).Min();
        var tolerance = input.T2HoursLeft is not null ? settings.OffPeakTolerance : settings.OpportunisticTolerance;
        if (input.T2HoursLeft is { } left && left > 0 && left <= settings.CapacityKwh * (settings.NormalStartSocPct - soc) / 100 / 3 + 0.5)
        {
            return Charge(settings.StopSocPct, "F T2 deadline", $"{left:0.#} h of the cheap T2 window left: just enough to charge to {Pct(settings.NormalStartSocPct)}");
        }
        var (from, to) = (settings.EveningPeakFromHour, settings.EveningPeakToHour);
        var evening = input.Prices.Where(p => p.Start.Date == input.Now.Date && p.Start.Hour >= from && p.Start.Hour <= to).Select(p => p.PerKwh).ToList();
        if (soc >= settings.PrePeakMinSocPct && now <= settings.PrePeakMaxPerKwh && input.Now.Hour < from - 1 && evening.Count > 0
            && evening.Average() > settings.EveningPriceMultiplier * now)
        {
            return Charge(settings.StopSocPct, "F pre-peak", $"{P(now)} now, {P(evening.Average())} on average {from}–{to} h: charging before the peak");
        }
        return now <= cheapest12 * tolerance
            ? Charge(settings.StopSocPct, "F opportunistic", $"{P(now)} is within {(tolerance - 1) * 100:0} % of the cheapest of the next 12 h ({P(cheapest12)}): charging")
            : Wait("F opportunistic", $"{P(now)} is more than {(tolerance - 1) * 100:0} % above the cheapest of the next 12 h ({P(cheapest12)}): waiting");
    }

    private RulesDecision NormalTier(RulesInputs input, double now)
    {
        var soc = input.SocPct;
        if (_sessions >= settings.MaxSessionsPerDay)
        {
            return Wait("G", $"{_sessions} sessions today already: waiting");
        }
        if (_lastFullSoc is { } full && full - soc < settings.MinDischargeDepthPct)
        {
            return Wait("G", $"{Pct(soc)} is less than {Pct(settings.MinDischargeDepthPct)} below the last full charge ({Pct(full)}): waiting");
        }
        if (soc >= settings.NormalStartSocPct)
        {
            return Wait("G", $"{Pct(soc)} is at or above {Pct(settings.NormalStartSocPct)}: waiting");
        }
        if (!CheapForNormal(input, now, soc, settings.NormalStartSocPct, out var why))
        {
            return Wait("G", why);
        }
        (_session, _sessions) = (true, _sessions + 1);
        return Charge(settings.SessionTargetSocPct, "G session", $"{why}: a session to {Pct(settings.SessionTargetSocPct)} (number {_sessions} today)");
    }

    private static bool CheapForNormal(RulesInputs input, double now, double soc, double startSocPct, out string why)
    {
        if (input.History.Count > 0)
        {
            var p40 = Percentile.Of(input.History.Select(h => h.PerKwh), 40);
            var p60 = Percentile.Of(input.History.Select(h => h.PerKwh), 60);
            why = now <= p40 ? $"{P(now)} is at or below the history's p40 ({P(p40)})"
                : now <= p60 && soc < startSocPct ? $"{P(now)} is at or below the history's p60 ({P(p60)}) and the battery below {Pct(startSocPct)}"
                : $"{P(now)} is above the history's p40 ({P(p40)}){(soc < startSocPct ? $" and p60 ({P(p60)})" : "")}: waiting";
            return now <= p40 || now <= p60 && soc < startSocPct;
        }
        var min = input.Prices.Where(p => p.Start < input.Now.AddHours(24)).Select(p => p.PerKwh).DefaultIfEmpty(now).Min();
        why = now <= min * 1.10 ? $"{P(now)} is within 10 % of the next 24 h's cheapest ({P(min)})" : $"{P(now)} is more than 10 % above the next 24 h's cheapest ({P(min)}): waiting";
        return now <= min * 1.10;
    }

    // The adaptive thresholds (the history's median × the multipliers × the season's) once there is enough history; else the fixed ones.
    private (double High, double Critical) Thresholds(RulesInputs input)
    {
        if (input.History.Count < settings.AdaptiveMinSamples)
        {
            return (settings.HighPricePerKwh, settings.CriticalPricePerKwh);
        }
        var median = Percentile.Of(input.History.Select(h => h.PerKwh), 50);
        var season = input.Now.Month is 11 or 12 or 1 or 2 ? settings.WinterMultiplier : input.Now.Month is 6 or 7 or 8 ? settings.SummerMultiplier : 1.0;
        return (median * settings.HighPriceMultiplier * season, median * settings.CriticalPriceMultiplier * season);
    }

    // The current hour's mean price (the seed averaged quarter-hours by hour), by slot start.
    private static double? Current(RulesInputs input)
    {
        var hour = HourOf(input.Now);
        var slots = input.Prices.Where(p => p.Start >= hour && p.Start < hour.AddHours(1)).ToList();
        return slots.Count == 0 ? null : slots.Average(p => p.PerKwh);
    }

    private static IEnumerable<PricePoint> Hourly(IEnumerable<PricePoint> prices) =>
        prices.GroupBy(p => HourOf(p.Start)).Select(g => new PricePoint(g.Key, g.Average(p => p.PerKwh)));

    private static DateTimeOffset HourOf(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, t.Offset);

    private static RulesDecision Charge(double target, string tier, string why) => new(true, target, tier, why);

    private static RulesDecision Wait(string tier, string why) => new(false, 0, tier, why);

    private static string P(double? perKwh) => perKwh is { } p ? p.ToString("0.000", CultureInfo.InvariantCulture) + "/kWh" : "no price";

    private static string Pct(double pct) => pct.ToString("0.#", CultureInfo.InvariantCulture) + " %";
}
