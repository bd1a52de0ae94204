using System.Globalization;
using EnergyHub.Readings;

namespace EnergyHub.Services.EvCharging;

/// <summary>A stretch of time the plan charges in, at full power, with its import price (null: beyond the published prices).</summary>
/// <param name="Start">Start.</param>
/// <param name="End">End.</param>
/// <param name="ImportPerKwh">The import price then; null where no price is published yet.</param>
public sealed record EvPlanSlot(DateTimeOffset Start, DateTimeOffset End, double? ImportPerKwh)
{
    /// <summary>The mean power planned then, W; null for full power.</summary>
    public double? PowerW { get; init; }

    /// <summary>Of <see cref="PowerW"/>, what the plan expects from the grid, W; null when all of it.</summary>
    public double? GridW { get; init; }
}

/// <summary>What the plan wants now.</summary>
/// <param name="ChargeNow">True when now is one of the planned stretches: charge at full power, whatever the surplus.</param>
/// <param name="Slots">The stretches planned from now to the deadline, in time order.</param>
/// <param name="Why">In words.</param>
public sealed record EvPlanDecision(bool ChargeNow, IReadOnlyList<EvPlanSlot> Slots, string Why)
{
    /// <summary>The power to charge at now, W; null for full power.</summary>
    public double? PowerW { get; init; }
}

/// <summary>
/// evcc's "plan" as a pure decider: the energy still missing by a deadline, charged at full power in the cheapest
/// stretches of the published prices before it (equal prices: the later first, so PV charging until then can make them
/// unnecessary). Time beyond the published prices counts as dearer than any published, so it is used last. Re-planned
/// every cycle on what is still missing: energy the car takes from the surplus meanwhile shortens the plan.
/// </summary>
public static class EvPlanner
{
    /// <summary>Plans <paramref name="missingWh"/> by <paramref name="deadline"/> at <paramref name="fullPowerW"/>.</summary>
    public static EvPlanDecision Plan(DateTimeOffset now, DateTimeOffset deadline, double missingWh, double fullPowerW, IReadOnlyList<PriceInterval> prices,
        TimeZoneInfo zone)
    {
        if (missingWh <= 0)
        {
            return new EvPlanDecision(false, [], "the planned energy is charged");
        }
        if (now >= deadline)
        {
            return new EvPlanDecision(false, [], string.Create(CultureInfo.InvariantCulture, $"the deadline {Local(deadline, zone, now)} has passed with {missingWh / 1000:0.0} kWh missing"));
        }
        var candidates = Candidates(now, deadline, prices);
        var needed = TimeSpan.FromHours(missingWh / Math.Max(1, fullPowerW));
        var chosen = new List<EvPlanSlot>();
        var left = needed;
        foreach (var slot in candidates.OrderBy(s => s.ImportPerKwh ?? double.PositiveInfinity).ThenByDescending(s => s.Start))
        {
            if (left <= TimeSpan.Zero)
            {
                break;
            }
            var length = slot.End - slot.Start;
            // A partly needed stretch is charged at its end, nearest the deadline.
            chosen.Add(length <= left ? slot : slot with { Start = slot.End - left });
            left -= length;
        }
        chosen.Sort((a, b) => a.Start.CompareTo(b.Start));
        var chargeNow = chosen.Any(s => s.Start <= now && now < s.End);
        var late = left > TimeSpan.Zero;
        var first = chosen.FirstOrDefault();
        var priced = chosen.Where(s => s.ImportPerKwh is not null).ToList();
        var mean = priced.Count == 0 ? (double?)null
            : priced.Sum(s => s.ImportPerKwh!.Value * (s.End - s.Start).TotalHours) / priced.Sum(s => (s.End - s.Start).TotalHours);
        var what = string.Create(CultureInfo.InvariantCulture, $"{missingWh / 1000:0.0} kWh missing by {Local(deadline, zone, now)}, {needed.TotalHours:0.0} h at {fullPowerW / 1000:0.0} kW");
        var price = mean is { } m ? string.Create(CultureInfo.InvariantCulture, $" at {m:0.000}/kWh on average") : "";
        var why = late ? $"{what}: not enough time left, charging at full power now"
            : chargeNow ? $"{what}: charging now, in the cheapest hours before then{price}"
            : $"{what}: charging from {Local(first!.Start, zone, now)}{price}; until then the surplus only";
        return new EvPlanDecision(chargeNow || late, chosen, why);
    }

    /// <summary>
    /// What the site's plan (<see cref="DemandPlan"/>, the car planned together with the battery) wants now: in a slot where
    /// it takes energy from the grid, charge now at its power; where it counts on PV, the surplus charges the car as in
    /// the PV modes (the next plan moves what the sun did not give).
    /// </summary>
    public static EvPlanDecision FromSitePlan(DemandPlan plan, DateTimeOffset now)
    {
        var slots = plan.Slots.Select(s => new EvPlanSlot(s.Start, s.End, s.ImportPerKwh) { PowerW = s.PowerW, GridW = s.GridW }).ToList();
        var current = plan.Slots.FirstOrDefault(s => s.Start <= now && now < s.End);
        var fromGrid = current is { GridW: >= GridChargeW };
        var then = fromGrid ? string.Create(CultureInfo.InvariantCulture, $"charging now at {current!.PowerW / 1000:0.0} kW")
            : current is { PowerW: > 0 } ? "charging from the surplus now"
            : "the surplus only until its next slot";
        return new EvPlanDecision(fromGrid, slots, $"{plan.Why}; {then}") { PowerW = fromGrid ? current!.PowerW : null };
    }

    /// <summary>A slot planned with at least this much from the grid is charged at its power whatever the surplus, W.</summary>
    public const double GridChargeW = 100;

    // The published intervals between now and the deadline, clipped, and the rest up to the deadline as one unpriced stretch.
    private static List<EvPlanSlot> Candidates(DateTimeOffset now, DateTimeOffset deadline, IReadOnlyList<PriceInterval> prices)
    {
        var slots = new List<EvPlanSlot>();
        var covered = now;
        foreach (var interval in prices.Where(p => p.End > now && p.Start < deadline).OrderBy(p => p.Start))
        {
            var start = interval.Start > covered ? interval.Start : covered;
            var end = interval.End < deadline ? interval.End : deadline;
            if (start > covered)
            {
                slots.Add(new EvPlanSlot(covered, start, null));
            }
            if (end > start)
            {
                slots.Add(new EvPlanSlot(start, end, interval.ImportPerKwh));
                covered = end;
            }
        }
        if (covered < deadline)
        {
            slots.Add(new EvPlanSlot(covered, deadline, null));
        }
        return slots;
    }

    /// <summary>A time as the plan's words give it: <c>HH:mm</c>, with <c>tomorrow</c> or the weekday when it is not today.</summary>
    internal static string Local(DateTimeOffset time, TimeZoneInfo zone, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(time, zone);
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        var day = local.Date == today ? "" : local.Date == today.AddDays(1) ? "tomorrow " : local.ToString("ddd ", CultureInfo.InvariantCulture);
        return day + local.ToString("HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>The next <paramref name="byHour"/> (hours after local midnight) in <paramref name="zone"/> after <paramref name="from"/>.</summary>
    public static DateTimeOffset NextDeadline(DateTimeOffset from, double byHour, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(from, zone);
        var at = local.Date.AddHours(byHour);
        if (at <= local.DateTime)
        {
            at = at.AddDays(1);
        }
        return new DateTimeOffset(at, zone.GetUtcOffset(at));
    }
}
