using System.Globalization;

namespace EnergyHub.Plugins.Simulator.Site;

/// <summary>The real time series the simulated site is driven by, embedded in the plugin (see Data/SOURCES.md).</summary>
public static class Profiles
{
    /// <summary>PV power per minute of a day, W, from a real site (peak 6130 W).</summary>
    public static IReadOnlyList<double> PvPerMinuteW { get; } = Minutes("openems-pv-production-1min-summer-weekday.csv", negate: false);

    /// <summary>Household load per minute of a day, W (positive = consumed).</summary>
    public static IReadOnlyList<double> LoadPerMinuteW { get; } = Minutes("openems-consumption-1min-summer-weekday.csv", negate: true);

    /// <summary>The kWp of the system behind <see cref="PvPerMinuteW"/>, assumed from its peak (6.13 kW ≈ 0.875 of rated).</summary>
    public const double ProfileKwp = 7.0;

    /// <summary>The yearly consumption <see cref="LoadPerMinuteW"/> stands for if every day were like it, kWh.</summary>
    public static double ProfileAnnualLoadKwh { get; } = LoadPerMinuteW.Sum() / 60 / 1000 * 365;

    /// <summary>
    /// Import and feed-in price (AUD/kWh, feed-in = what the owner is paid) per half hour of the local day from one of
    /// the recorded Amber forecasts; 5-minute records are averaged into their half hour.
    /// </summary>
    public static (double Import, double FeedIn)[] HalfHourlyPrices(string snapshot, TimeZoneInfo zone)
    {
        using var stream = typeof(Profiles).Assembly.GetManifestResourceStream("amber-forecast-snapshots-2025.csv")!;
        using var reader = new StreamReader(stream);
        var sums = new Dictionary<(string Channel, int Slot), (double Sum, int Count)>();
        foreach (var fields in reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')))
        {
            if (fields[0] != snapshot)
            {
                continue;
            }
            var end = DateTimeOffset.Parse(fields[4], CultureInfo.InvariantCulture);
            var duration = int.Parse(fields[6], CultureInfo.InvariantCulture);
            var local = TimeZoneInfo.ConvertTime(end.AddMinutes(-duration), zone);
            var key = (fields[2], (int)(local.TimeOfDay.TotalMinutes / 30));
            var (sum, count) = sums.GetValueOrDefault(key);
            sums[key] = (sum + double.Parse(fields[7], CultureInfo.InvariantCulture), count + 1);
        }
        if (sums.Count == 0)
        {
            throw new ArgumentException($"no price snapshot '{snapshot}'; use scenario1 … scenario5");
        }
        double Slot(string channel, int slot)
        {
            for (var distance = 0; distance < 48; distance++)
            {
                foreach (var candidate in new[] { (slot + distance) % 48, (slot - distance + 48) % 48 })
                {
                    if (sums.TryGetValue((channel, candidate), out var value))
                    {
                        return value.Sum / value.Count;
                    }
                }
            }
            return 0;
        }
        return Enumerable.Range(0, 48).Select(slot => (Slot("general", slot), Slot("feed_in", slot))).ToArray();
    }

    /// <summary>
    /// Import and feed-in price per half hour of the local day from a CSV (<c>local_time,import_per_kwh,feed_in_per_kwh</c>,
    /// rows from 00:00 in time order, each holding until the next).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is missing or malformed; the message names the line.</exception>
    public static (double Import, double FeedIn)[] HalfHourlyPricesFromFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"PriceFile {path} does not exist");
        }
        var rows = new List<(int Minute, double Import, double FeedIn)>();
        var lines = File.ReadAllLines(path);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0 || lines[i].StartsWith('#'))
            {
                continue;
            }
            var f = lines[i].Split(',');
            if (f.Length < 3 || !TimeOnly.TryParseExact(f[0].Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                || !double.TryParse(f[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var import)
                || !double.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var feedIn))
            {
                throw new InvalidDataException($"{path}:{i + 1}: expected HH:mm,import_per_kwh,feed_in_per_kwh, got '{lines[i]}'");
            }
            var minute = time.Hour * 60 + time.Minute;
            if (rows.Count == 0 ? minute != 0 : minute <= rows[^1].Minute)
            {
                throw new InvalidDataException($"{path}:{i + 1}: rows must start at 00:00 and go forward in time");
            }
            rows.Add((minute, import, feedIn));
        }
        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{path}: no price rows below the header local_time,import_per_kwh,feed_in_per_kwh");
        }
        return Enumerable.Range(0, 48)
            .Select(slot => rows.Last(r => r.Minute <= slot * 30))
            .Select(r => (r.Import, r.FeedIn))
            .ToArray();
    }

    private static double[] Minutes(string resource, bool negate)
    {
        using var stream = typeof(Profiles).Assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => double.Parse(l, CultureInfo.InvariantCulture) * (negate ? -1 : 1))
            .Select(v => Math.Max(0, v))
            .ToArray();
    }
}
