using System.Text.Json;

namespace EnergyHub.Services.BatteryScheduler;

/// <summary>
/// What the site's PV produced and its house drew, in 15-minute buckets for the last <paramref name="keepDays"/> days:
/// the past the forecast is made from. A sample counts from the one before it, not across a gap longer than the
/// given one; a bucket seen only in part is scaled to its whole length, one never seen is filled with a fallback.
/// </summary>
public sealed class SiteHistory(int keepDays = 15)
{
    private static readonly TimeSpan Bucket = TimeSpan.FromMinutes(15);
    private Dictionary<long, Sums> _buckets = [];
    private (DateTimeOffset At, double PvW, double LoadW)? _last;
    private long _oldestKept = long.MinValue;

    /// <summary>Buckets held.</summary>
    public int Count => _buckets.Count;

    /// <summary>Counts the powers seen at <paramref name="now"/> since the last sample (at most <paramref name="maxGap"/> back).</summary>
    public void Add(DateTimeOffset now, double pvW, double loadW, TimeSpan maxGap)
    {
        if (_last is { } last && now > last.At && now - last.At <= maxGap)
        {
            // Split the interval at bucket boundaries, each part counted with the last sample's powers.
            var from = last.At;
            while (from < now)
            {
                var key = Key(from);
                var end = Start(key) + Bucket;
                var to = end < now ? end : now;
                var hours = (to - from).TotalHours;
                var sums = _buckets.GetValueOrDefault(key);
                _buckets[key] = new Sums(sums.PvWh + Math.Max(0, last.PvW) * hours, sums.LoadWh + Math.Max(0, last.LoadW) * hours, sums.Seconds + (to - from).TotalSeconds);
                from = to;
            }
        }
        _last = (now, pvW, loadW);
        var oldest = Key(now - TimeSpan.FromDays(keepDays));
        if (oldest != _oldestKept)
        {
            _oldestKept = oldest;
            foreach (var key in _buckets.Keys.Where(k => k < oldest).ToList())
            {
                _buckets.Remove(key);
            }
        }
    }

    /// <summary>
    /// <paramref name="count"/> slots of <paramref name="length"/> (a multiple of 15 minutes) ending at <paramref name="until"/>,
    /// with PV and load in kWh and no prices; an unseen quarter counts the fallback powers (PV as the fallback gives it at
    /// the quarter's middle).
    /// </summary>
    public IReadOnlyList<PlanSlot> Past(DateTimeOffset until, TimeSpan length, int count, Func<DateTimeOffset, double> fallbackPvW, double fallbackLoadW)
    {
        var quarters = Math.Max(1, (int)Math.Round(length / Bucket));
        var slots = new PlanSlot[count];
        for (var i = 0; i < count; i++)
        {
            var start = until - (count - i) * length;
            double pv = 0, load = 0;
            for (var q = 0; q < quarters; q++)
            {
                var key = Key(start + q * Bucket);
                (pv, load) = _buckets.TryGetValue(key, out var sums) && sums.Seconds > 0
                    ? (pv + sums.PvWh * Bucket.TotalSeconds / sums.Seconds / 1000, load + sums.LoadWh * Bucket.TotalSeconds / sums.Seconds / 1000)
                    : (pv + fallbackPvW(Start(key) + Bucket / 2) * Bucket.TotalHours / 1000, load + fallbackLoadW * Bucket.TotalHours / 1000);
            }
            slots[i] = new PlanSlot(start, length, 0, 0, pv, load);
        }
        return slots;
    }

    /// <summary>The buckets as JSON, to keep across restarts.</summary>
    public string Save() => JsonSerializer.Serialize(_buckets);

    /// <summary>Restores buckets from <see cref="Save"/>.</summary>
    /// <exception cref="JsonException">Not saved buckets.</exception>
    public void Restore(string json)
    {
        _buckets = JsonSerializer.Deserialize<Dictionary<long, Sums>>(json) ?? [];
        _oldestKept = long.MinValue;
    }

    private static long Key(DateTimeOffset t) => t.ToUnixTimeSeconds() / (long)Bucket.TotalSeconds;

    private static DateTimeOffset Start(long key) => DateTimeOffset.FromUnixTimeSeconds(key * (long)Bucket.TotalSeconds);

    /// <summary>One bucket's sums.</summary>
    /// <param name="PvWh">PV energy seen.</param>
    /// <param name="LoadWh">Load energy seen.</param>
    /// <param name="Seconds">How much of the bucket was seen.</param>
    public readonly record struct Sums(double PvWh, double LoadWh, double Seconds);
}
