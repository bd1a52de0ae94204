using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;

namespace EnergyHub.Plugins.Amber;

/// <summary>The keys of a <c>Driver = amber</c> device.</summary>
public sealed class AmberOptions : DeviceOptions
{
    /// <summary>Sets the defaults that suit a price source: stale after 15 minutes without a successful fetch.</summary>
    public AmberOptions() => StaleAfter = TimeSpan.FromMinutes(15);

    /// <summary>The API key from the Amber app (Developers page); better set as ENERGYHUB_Device__&lt;id&gt;__ApiKey.</summary>
    [Required]
    [Secret]
    public string ApiKey { get; init; } = "";

    /// <summary>The site id; empty uses the account's only active site, or lists the sites to choose from.</summary>
    public string SiteId { get; init; } = "";

    /// <summary>The API's address; point it at an emulator on 127.0.0.1 for tests.</summary>
    public Uri BaseUrl { get; init; } = new("https://api.amber.com.au/v1/");

    /// <summary>How many forecast intervals to ask for after the current one (288 = 24 h of 5-minute intervals).</summary>
    [Range(0, 2048)]
    public int Next { get; init; } = 288;

    /// <summary>How often prices are fetched; Amber allows 50 requests per 5 minutes per account.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan FetchInterval { get; init; } = TimeSpan.FromMinutes(1);
}
