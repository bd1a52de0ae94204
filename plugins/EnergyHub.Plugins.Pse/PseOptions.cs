using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;

namespace EnergyHub.Plugins.Pse;

/// <summary>The PSE reports a price can come from.</summary>
public enum PseReport
{
    /// <summary>No report (feed-in only: the owner is paid nothing).</summary>
    None,
    /// <summary><c>csdac-pln</c>: the day-ahead (SDAC) clearing price.</summary>
    Csdac,
    /// <summary><c>rce-pln</c>: the market energy price used for net-billing exports.</summary>
    Rce,
}

/// <summary>The keys of a <c>Driver = pse</c> device.</summary>
public sealed class PseOptions : DeviceOptions
{
    /// <summary>Sets the defaults that suit day-ahead prices: stale two hours after the last successful fetch.</summary>
    public PseOptions() => StaleAfter = TimeSpan.FromHours(2);

    /// <summary>The API's address; point it at an emulator on 127.0.0.1 for tests.</summary>
    public Uri BaseUrl { get; init; } = new("https://api.raporty.pse.pl/api/");

    /// <summary>The market price behind the import price.</summary>
    public PseReport ImportPriceFrom { get; init; } = PseReport.Csdac;

    /// <summary>Distribution fee added to the market price, PLN/kWh net (with <see cref="Tariff"/> = None).</summary>
    [Range(-10.0, 10.0)]
    public double DistributionPerKwh { get; init; }

    /// <summary>The distribution tariff whose rate at each hour is added instead of <see cref="DistributionPerKwh"/>: None, G11, G12, G12w, G12as, G13s or G14dynamic.</summary>
    public PolishTariff Tariff { get; init; } = PolishTariff.None;

    /// <summary>Charges per kWh on top of distribution (the coordinator's "SC", 0.0892 PLN/kWh in its config), net.</summary>
    [Range(0.0, 10.0)]
    public double SystemChargePerKwh { get; init; }

    /// <summary>The seller's fixed markup added to the market price, PLN/kWh net.</summary>
    [Range(-10.0, 10.0)]
    public double MarkupPerKwh { get; init; }

    /// <summary>VAT applied to the import price, % (a Polish household pays 23).</summary>
    [Range(0.0, 100.0)]
    public double VatPct { get; init; }

    /// <summary>The market price behind the feed-in price (net-billing uses RCE).</summary>
    public PseReport FeedInPriceFrom { get; init; } = PseReport.Rce;

    /// <summary>Feed-in = market price × this factor (e.g. 1.23 where the seller pays RCE gross).</summary>
    [Range(0.0, 10.0)]
    public double FeedInFactor { get; init; } = 1.0;

    /// <summary>Settle feed-in on the hourly mean of the quarter-hours, as most Polish sellers do.</summary>
    public bool FeedInHourlyMean { get; init; } = true;

    /// <summary>Never let the feed-in price go below 0 (contracts where a negative RCE is not charged).</summary>
    public bool FeedInClampNegative { get; init; }

    /// <summary>How often prices are fetched (tomorrow's appear around 14:00 Polish time).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "06:00:00")]
    public TimeSpan FetchInterval { get; init; } = TimeSpan.FromMinutes(30);
}
