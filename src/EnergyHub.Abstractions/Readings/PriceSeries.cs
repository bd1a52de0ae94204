namespace EnergyHub.Readings;

/// <summary>
/// Prices for consecutive intervals, in <see cref="Currency"/> per kWh.
/// <see cref="PriceInterval.FeedInPerKwh"/> is what the owner is paid (negative = the owner pays to export).
/// </summary>
/// <param name="Currency">ISO 4217 code of every price in the series, e.g. <c>AUD</c> or <c>PLN</c>.</param>
/// <param name="Intervals">Intervals ordered by start, not overlapping.</param>
public sealed record PriceSeries(string Currency, IReadOnlyList<PriceInterval> Intervals)
{
    /// <summary>The API response the series was parsed from, verbatim, when the source keeps it (not cached on disk).</summary>
    public string? RawPayload { get; init; }

    /// <summary>Returns the interval that contains <paramref name="instant"/>, or <c>null</c> when none does.</summary>
    public PriceInterval? At(DateTimeOffset instant)
    {
        foreach (var interval in Intervals)
        {
            if (interval.Start <= instant && instant < interval.End)
            {
                return interval;
            }
        }
        return null;
    }
}

/// <summary>One price interval, [<see cref="Start"/>, <see cref="End"/>) in UTC.</summary>
/// <param name="Start">First instant of the interval.</param>
/// <param name="End">First instant after the interval.</param>
/// <param name="ImportPerKwh">What the owner pays per imported kWh.</param>
/// <param name="FeedInPerKwh">What the owner is paid per exported kWh; negative = the owner pays to export.</param>
/// <param name="IsForecast">True for a forecast, false for an actual or confirmed price.</param>
public sealed record PriceInterval(
    DateTimeOffset Start,
    DateTimeOffset End,
    double ImportPerKwh,
    double FeedInPerKwh,
    bool IsForecast)
{
    /// <summary>The source's own word for the price level (Amber: extremelyLow … spike), when it has one.</summary>
    public string? Descriptor { get; init; }

    /// <summary>The source's spike status (Amber: none, potential, spike), when it has one.</summary>
    public string? SpikeStatus { get; init; }

    /// <summary>Share of renewables in the grid, 0–100 %, when the source reports it.</summary>
    public double? RenewablesPct { get; init; }

    /// <summary>The wholesale (spot) price behind the import price, per kWh, when the source reports it.</summary>
    public double? SpotPerKwh { get; init; }

    /// <summary>The interval's length.</summary>
    public TimeSpan Duration => End - Start;
}
