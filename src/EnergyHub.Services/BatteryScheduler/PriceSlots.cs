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
        var ahead = prices.Intervals.Where(i => i.End > now).ToList();
        if (ahead.Count == 0)
        {
            return [];
        }
        var quarter = TimeSpan.FromMinutes(15);
        var longest = ahead.Max(i => i.Duration);
        var length = TimeSpan.FromTicks(Math.Clamp((long)Math.Round(longest / quarter), 1, 4) * quarter.Ticks);
        var start = new DateTimeOffset(now.UtcTicks - now.UtcTicks % length.Ticks, TimeSpan.Zero);
        // The current slot keeps the part of it already past: its price is the whole slot's.
        var intervals = prices.Intervals.Where(i => i.End > start).OrderBy(i => i.Start).ToList();
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

    /// <summary>
    /// <see cref="From"/> for one series, computed again only when the series changes or one of its intervals ends:
    /// a service ticking every few seconds reads prices that change every few minutes.
    /// </summary>
    public sealed class Cache
    {
        private PriceSeries? _series;
        private DateTimeOffset _validUntil;
        private IReadOnlyList<PlanSlot> _slots = [];

        /// <summary>
        /// Names the slots last returned by their count, first and last start and prices: it changes when a plan made on
        /// them would (a new slot, new prices), not when only the series object is new.
        /// </summary>
        public string Key { get; private set; } = "";

        /// <summary>The slots of <paramref name="prices"/> at <paramref name="now"/>.</summary>
        public IReadOnlyList<PlanSlot> From(PriceSeries prices, DateTimeOffset now)
        {
            if (!SameIntervals(prices, _series) || now >= _validUntil || (_slots.Count > 0 && now < _slots[0].Start))
            {
                _series = prices;
                _slots = PriceSlots.From(prices, now);
                Key = _slots.Count == 0 ? "" : string.Join(",", _slots.Count, _slots[0].Start.ToUnixTimeSeconds(), _slots[^1].Start.ToUnixTimeSeconds(),
                    _slots.Sum(s => s.ImportPerKwh + s.FeedInPerKwh));
                _validUntil = prices.Intervals.Where(i => i.End > now).Select(i => i.End).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            }
            return _slots;
        }

        // A price source polled again hands over a new series with the same intervals: those make the same slots.
        private static bool SameIntervals(PriceSeries prices, PriceSeries? last) =>
            ReferenceEquals(prices, last) || last is not null && prices.Currency == last.Currency && prices.Intervals.SequenceEqual(last.Intervals);
    }
}
