namespace EnergyHub.Core.Journal;

/// <summary>
/// The hourly and daily rollups (min, sum, max, count per series) both stores keep as readings are written, so a long
/// history reads a few thousand rows instead of every minute; and how a history query picks its source.
/// </summary>
public static class JournalRollups
{
    /// <summary>The rollup tables and the width of their rows, narrowest first.</summary>
    public static readonly IReadOnlyList<(string Table, long WidthMs)> Tables = [("readings_hour", 3_600_000), ("readings_day", 86_400_000)];

    /// <summary>The min, sum, max and count of a batch's readings per rollup table, series and rollup row.</summary>
    public static Dictionary<(string Table, string Series, long Ts), (double Min, double Sum, double Max, long Count)> Of(IEnumerable<ReadingRecord> readings)
    {
        var rolled = new Dictionary<(string Table, string Series, long Ts), (double Min, double Sum, double Max, long Count)>();
        foreach (var r in readings)
        {
            var ms = r.Time.ToUnixTimeMilliseconds();
            foreach (var (table, width) in Tables)
            {
                var key = (table, r.Series, ms / width * width);
                rolled[key] = rolled.TryGetValue(key, out var a)
                    ? (Math.Min(a.Min, r.Value), a.Sum + r.Value, Math.Max(a.Max, r.Value), a.Count + 1)
                    : (r.Value, r.Value, r.Value, 1);
            }
        }
        return rolled;
    }

    /// <summary>
    /// The bucket width for <paramref name="points"/> buckets in [from, to), and the widest rollup no wider than a
    /// bucket (null: read the raw values and minute averages). A rollup row falls into the bucket its start is in.
    /// </summary>
    public static (long From, long To, long WidthMs, (string Table, long WidthMs)? Rollup) Plan(DateTimeOffset from, DateTimeOffset to, int points)
    {
        var (f, t) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        var width = Math.Max(1, (t - f + points - 1) / points);
        (string, long)? rollup = Tables.Where(r => r.WidthMs <= width).Select(r => ((string, long)?)r).LastOrDefault();
        return (f, t, width, rollup);
    }
}
