namespace EnergyHub.Services.BatteryScheduler;

/// <summary>
/// The simple forecast the planner starts with, from what happened. PV: a clear-sky curve (the most each time of day
/// produced over the last two weeks) scaled by how clear it has been: today's share of that curve so far once the sun
/// has been up two hours, else the last three days'. The house load is what it was a week before (the same weekday), or
/// the last days' mean while there is no week yet. No weather service: a sunny day after cloudy ones is forecast
/// cloudy until the morning shows otherwise. Slots are of equal length and follow each other without gaps.
/// </summary>
public static class ProfileForecast
{
    private const int EnvelopeDays = 14;
    private const int ClearnessDays = 3;

    /// <summary><paramref name="ahead"/> with PV and load forecast from <paramref name="past"/> (which ends where <paramref name="ahead"/> starts).</summary>
    public static IReadOnlyList<PlanSlot> Fill(IReadOnlyList<PlanSlot> past, IReadOnlyList<PlanSlot> ahead)
    {
        if (ahead.Count == 0 || past.Count == 0)
        {
            return ahead;
        }
        var perDay = (int)Math.Round(TimeSpan.FromDays(1) / ahead[0].Length);
        double Envelope(int index)
        {
            var most = 0.0;
            for (var d = 1; d <= EnvelopeDays; d++)
            {
                var i = index - d * perDay;
                if (i >= 0 && i < past.Count)
                {
                    most = Math.Max(most, past[i].PvKwh);
                }
            }
            return most;
        }
        // How clear slots [from, to) were against the curve; null when the curve shows no sun there.
        double? Clearness(int from, int to)
        {
            double actual = 0, clear = 0;
            for (var i = Math.Max(0, from); i < to; i++)
            {
                (actual, clear) = (actual + past[i].PvKwh, clear + Envelope(i));
            }
            return clear > 0 ? Math.Min(1, actual / clear) : null;
        }
        var now = past.Count;
        var startOfToday = now - (int)Math.Round(ahead[0].Start.TimeOfDay / ahead[0].Length);
        var sunUpToday = Enumerable.Range(Math.Max(0, startOfToday), Math.Max(0, now - Math.Max(0, startOfToday))).Count(i => Envelope(i) > 0) * ahead[0].Length;
        var recent = Clearness(now - ClearnessDays * perDay, now) ?? 1;
        var today = sunUpToday >= TimeSpan.FromHours(2) ? Clearness(startOfToday, now) ?? recent : recent;

        var result = new PlanSlot[ahead.Count];
        for (var k = 0; k < ahead.Count; k++)
        {
            var index = now + k;
            var week = index - 7 * perDay;
            var days = Enumerable.Range(1, ClearnessDays).Select(d => index - d * perDay).Where(i => i >= 0 && i < past.Count).ToList();
            result[k] = ahead[k] with
            {
                PvKwh = Envelope(index) * (index < startOfToday + perDay ? today : recent),
                LoadKwh = week >= 0 && week < past.Count ? past[week].LoadKwh : days.Count == 0 ? past[^1].LoadKwh : days.Average(i => past[i].LoadKwh),
            };
        }
        return result;
    }
}
