using System.Text.Json;

namespace EnergyHub.Services.SurplusDistributor;

/// <summary>A consumer's runtime (s) and energy (Wh): today, yesterday (local days) and in total.</summary>
public sealed record ConsumerStatistics(double RuntimeTodayS, double RuntimeYesterdayS, double RuntimeTotalS,
    double EnergyTodayWh, double EnergyYesterdayWh, double EnergyTotalWh)
{
    /// <summary>Nothing counted yet.</summary>
    public static ConsumerStatistics Zero { get; } = new(0, 0, 0, 0, 0, 0);
}

/// <summary>
/// Counts every consumer's runtime and energy from what it draws, sample by sample (the power drawn over the time since
/// the previous sample; a gap longer than <paramref name="maxGap"/> is not counted), with the day rolled over at local
/// midnight in <paramref name="zone"/> (es-ESS rolled over at UTC midnight). Its state is a JSON document, kept by the
/// service in the journal.
/// </summary>
/// <param name="zone">The site's time zone.</param>
/// <param name="maxGap">The longest time between two samples that is counted.</param>
public sealed class ConsumerStatisticsBook(TimeZoneInfo zone, TimeSpan maxGap)
{
    private const double RunningAboveW = 1;
    private Dictionary<string, ConsumerStatistics> _stats = new(StringComparer.Ordinal);
    private Dictionary<string, DateTimeOffset> _last = new(StringComparer.Ordinal);
    private DateOnly? _day;

    /// <summary>Every consumer's statistics, as of the last sample.</summary>
    public IReadOnlyDictionary<string, ConsumerStatistics> All => _stats;

    /// <summary>Counts <paramref name="drawingW"/> of <paramref name="key"/> at <paramref name="now"/>.</summary>
    public void Add(string key, DateTimeOffset now, double drawingW)
    {
        RollOver(now);
        var stats = _stats.GetValueOrDefault(key) ?? ConsumerStatistics.Zero;
        if (_last.TryGetValue(key, out var last) && now > last && now - last <= maxGap)
        {
            var seconds = (now - last).TotalSeconds;
            var wh = Math.Max(0, drawingW) * seconds / 3600;
            var running = drawingW > RunningAboveW ? seconds : 0;
            stats = stats with
            {
                RuntimeTodayS = stats.RuntimeTodayS + running, RuntimeTotalS = stats.RuntimeTotalS + running,
                EnergyTodayWh = stats.EnergyTodayWh + wh, EnergyTotalWh = stats.EnergyTotalWh + wh,
            };
        }
        _stats[key] = stats;
        if (!_last.TryGetValue(key, out var previous) || now > previous)
        {
            _last[key] = now;
        }
    }

    /// <summary>The state as JSON: the day it counts and every consumer's statistics.</summary>
    public string Save() => JsonSerializer.Serialize(new Saved(_day?.ToString("O"), _stats));

    /// <summary>Restores a state from <see cref="Save"/>; the day rolls over on the next sample if it has passed since.</summary>
    /// <exception cref="JsonException">Not a saved state.</exception>
    public void Restore(string json)
    {
        var saved = JsonSerializer.Deserialize<Saved>(json) ?? throw new JsonException("empty");
        _day = saved.Day is { } day ? DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture) : null;
        _stats = new Dictionary<string, ConsumerStatistics>(saved.Consumers ?? [], StringComparer.Ordinal);
        _last = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
    }

    private void RollOver(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        if (_day is { } day && today != day)
        {
            var yesterdayCounts = today == day.AddDays(1);
            _stats = _stats.ToDictionary(s => s.Key, s => s.Value with
            {
                RuntimeYesterdayS = yesterdayCounts ? s.Value.RuntimeTodayS : 0, RuntimeTodayS = 0,
                EnergyYesterdayWh = yesterdayCounts ? s.Value.EnergyTodayWh : 0, EnergyTodayWh = 0,
            }, StringComparer.Ordinal);
        }
        _day = today;
    }

    private sealed record Saved(string? Day, Dictionary<string, ConsumerStatistics>? Consumers);
}
