using EnergyHub.Readings;

namespace EnergyHub.Services.BatteryScheduler;

/// <summary>A price source's intervals as the planner's equal slots.</summary>
public static class PriceSlots
{
    /// <summary>
    /// Slots of the source's longest interval (15 minutes to an hour; Amber's first 5-minute ones are averaged into its
    /// 30-minute slots) from the slot holding <paramref name="now"/> to the last one the intervals cover in full; the
    /// prices are the time-weighted mean of the intervals in each slot. PV and load are 0.
    /// </summary>
    public static IReadOnlyList<PlanSlot> From(PriceSeries prices, DateTimeOffset now)
    {
        var intervals = prices.Intervals.Where(i => i.End > now).OrderBy(i => i.Start).ToList();
        if (intervals.Count == 0)
        {
            return [];
        }
        var quarter = TimeSpan.FromMinutes(15);
        var longest = intervals.Max(i => i.Duration);
        var length = TimeSpan.FromTicks(Math.Clamp((long)Math.Round(longest / quarter), 1, 4) * quarter.Ticks);
        var start = new DateTimeOffset(now.UtcTicks - now.UtcTicks % length.Ticks, TimeSpan.Zero);
        var slots = new List<PlanSlot>();
        for (var from = start; ; from += length)
        {
            var to = from + length;
            var parts = intervals.Where(i => i.Start < to && i.End > from).ToList();
            var covered = parts.Sum(i => ((i.End < to ? i.End : to) - (i.Start > from ? i.Start : from)).TotalSeconds);
            if (parts.Count == 0 || covered < length.TotalSeconds - 1)
            {
                return slots;
            }
            double Mean(Func<PriceInterval, double> price) =>
                parts.Sum(i => price(i) * ((i.End < to ? i.End : to) - (i.Start > from ? i.Start : from)).TotalSeconds) / covered;
            slots.Add(new PlanSlot(from, length, Mean(i => i.ImportPerKwh), Mean(i => i.FeedInPerKwh), 0, 0));
        }
    }
}
