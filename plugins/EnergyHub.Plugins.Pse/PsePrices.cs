using EnergyHub.Readings;

namespace EnergyHub.Plugins.Pse;

/// <summary>
/// Builds the household's <see cref="PriceSeries"/> (PLN/kWh) from PSE market rows:
/// import = (market + distribution + system charge + markup) × (1 + VAT), the distribution being the tariff's rate at the
/// interval's start (<see cref="PolishTariffs"/>) or the flat <c>DistributionPerKwh</c>; feed-in = market × factor,
/// optionally as the hourly mean of the quarter-hours and clamped at 0. Rows of a later Polish date than today are forecasts.
/// </summary>
public static class PsePrices
{
    /// <summary>Combines import rows with feed-in rows (absent when the feed-in report is <see cref="PseReport.None"/>).</summary>
    public static PriceSeries Build(IReadOnlyList<PseRow> import, IReadOnlyList<PseRow>? feedIn, PseOptions options, DateOnly today)
    {
        var paid = FeedInPerKwh(feedIn, options);
        var intervals = import
            .OrderBy(r => r.Start)
            .DistinctBy(r => r.Start)
            .Select(r => new PriceInterval(
                r.Start,
                r.End,
                (r.PricePerMwh / 1000 + Distribution(options, r.Start) + options.SystemChargePerKwh + options.MarkupPerKwh) * (1 + options.VatPct / 100),
                paid.TryGetValue(r.Start, out var p) ? p : 0,
                r.BusinessDate > today)
            {
                SpotPerKwh = r.PricePerMwh / 1000,
            })
            .ToList();
        return new PriceSeries("PLN", intervals);
    }

    private static double Distribution(PseOptions options, DateTimeOffset start) =>
        options.Tariff == PolishTariff.None ? options.DistributionPerKwh : PolishTariffs.DistributionPerKwh(options.Tariff, start);

    private static Dictionary<DateTimeOffset, double> FeedInPerKwh(IReadOnlyList<PseRow>? rows, PseOptions options)
    {
        if (rows is null)
        {
            return [];
        }
        var perRow = rows.DistinctBy(r => r.Start).ToDictionary(r => r.Start, r => r.PricePerMwh / 1000);
        if (options.FeedInHourlyMean)
        {
            var hourly = perRow.GroupBy(kv => Hour(kv.Key)).ToDictionary(g => g.Key, g => g.Average(kv => kv.Value));
            perRow = perRow.ToDictionary(kv => kv.Key, kv => hourly[Hour(kv.Key)]);
        }
        return perRow.ToDictionary(kv => kv.Key, kv =>
        {
            var price = kv.Value * options.FeedInFactor;
            return options.FeedInClampNegative ? Math.Max(0, price) : price;
        });
    }

    // Polish hours start on whole UTC hours (the offset is +1 or +2 h), so the UTC hour is the local hour.
    private static DateTimeOffset Hour(DateTimeOffset instant) => new(instant.Year, instant.Month, instant.Day, instant.Hour, 0, 0, TimeSpan.Zero);
}
