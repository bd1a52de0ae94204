using System.Globalization;

namespace EnergyHub.Plugins.Simulator.Site;

/// <summary>
/// PV and day-ahead prices per hour over a span of real time (a year of a grid's solar output and spot price, e.g.
/// shared/data's German 2025 series), for a site that lives through the seasons rather than one repeated day. PV is the
/// grid's solar curve scaled to the site's yearly yield; the import price is the spot price plus fees, feed-in the spot price.
/// </summary>
public sealed class HourlySeries
{
    private readonly DateTimeOffset _first;
    private readonly double[] _solar;
    private readonly double[] _spotPerKwh;
    private readonly double _pvWPerUnit;
    private readonly double _importFeePerKwh;

    private HourlySeries(DateTimeOffset first, double[] solar, double[] spotPerKwh, double pvKwhPerYear, double importFeePerKwh)
    {
        (_first, _solar, _spotPerKwh, _importFeePerKwh) = (first, solar, spotPerKwh, importFeePerKwh);
        var years = solar.Length / (365.0 * 24);
        var unitHours = solar.Sum();
        _pvWPerUnit = unitHours > 0 ? pvKwhPerYear * years * 1000 / unitHours : 0;
    }

    /// <summary>The end of the last hour it covers.</summary>
    public DateTimeOffset End => _first.AddHours(_solar.Length);

    /// <summary>The site's PV at <paramref name="time"/> (the hour's mean), W.</summary>
    public double PvW(DateTimeOffset time) => _solar[Index(time)] * _pvWPerUnit;

    /// <summary>The import and feed-in price of the hour holding <paramref name="time"/>, per kWh.</summary>
    public (double Import, double FeedIn) PriceAt(DateTimeOffset time)
    {
        var spot = _spotPerKwh[Index(time)];
        return (spot + _importFeePerKwh, spot);
    }

    private int Index(DateTimeOffset time) => Math.Clamp((int)Math.Floor((time - _first).TotalHours), 0, _solar.Length - 1);

    /// <summary>
    /// Reads a CSV with a header naming <c>datetime_utc</c>, a solar column (<c>solar_mw_avg</c>, any unit: only its shape
    /// counts) and a price column per MWh (<c>day_ahead_price_eur_mwh</c>), one row per hour in time order.
    /// </summary>
    /// <exception cref="InvalidDataException">Missing, without those columns, or a row that does not parse; the message names the line.</exception>
    public static HourlySeries Load(string path, double pvKwhPerYear, double importFeePerKwh)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"SeriesFile {path} does not exist");
        }
        using var reader = new StreamReader(path);
        var header = (reader.ReadLine() ?? "").Split(',').Select(h => h.Trim()).ToList();
        int Column(string name) => header.IndexOf(name) is var i and >= 0 ? i
            : throw new InvalidDataException($"{path}:1: no column {name} (the header has {string.Join(", ", header)})");
        var (time, solarColumn, priceColumn) = (Column("datetime_utc"), Column("solar_mw_avg"), Column("day_ahead_price_eur_mwh"));
        var (solar, spot) = (new List<double>(), new List<double>());
        DateTimeOffset? first = null;
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }
            var f = line.Split(',');
            if (f.Length <= Math.Max(time, Math.Max(solarColumn, priceColumn))
                || !DateTimeOffset.TryParse(f[time], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                || !double.TryParse(f[solarColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
                || !double.TryParse(f[priceColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out var p))
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected a time, a solar value and a price, got '{line}'");
            }
            first ??= at;
            if (at != first.Value.AddHours(solar.Count))
            {
                throw new InvalidDataException($"{path}:{lineNumber}: rows must follow each other hour by hour ({first.Value.AddHours(solar.Count):u} expected, {at:u} found)");
            }
            solar.Add(Math.Max(0, s));
            spot.Add(p / 1000);
        }
        if (first is null)
        {
            throw new InvalidDataException($"{path}: no rows below the header");
        }
        return new HourlySeries(first.Value, [.. solar], [.. spot], pvKwhPerYear, importFeePerKwh);
    }
}
