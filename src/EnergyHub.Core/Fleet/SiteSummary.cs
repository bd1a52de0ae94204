using System.Text.Json;
using System.Text.Json.Serialization;
using EnergyHub.Core.Energy;
using EnergyHub.Site;

namespace EnergyHub.Core.Fleet;

/// <summary>
/// What a site tells a fleet, retained on <c>{[Mqtt] TopicPrefix}/summary</c> every <c>[Mqtt] SummaryInterval</c>: its
/// name, the site's time and the wall-clock time it was sent, the balance (signs as in <see cref="SiteBalance"/>:
/// grid + import, battery + charging), today's energy, each device's health and the address of its page.
/// </summary>
public sealed record SiteSummary
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The site's name (<c>[Common] SiteName</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>The site's clock when it was sent (a simulated site's clock may run fast or in the past).</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>The wall-clock time it was sent: the fleet measures its lag against it.</summary>
    public DateTimeOffset SentUtc { get; init; }

    /// <summary>PV production, W.</summary>
    public double? PvW { get; init; }

    /// <summary>Grid power, W, + import.</summary>
    public double? GridW { get; init; }

    /// <summary>Battery power, W, + charging.</summary>
    public double? BatteryW { get; init; }

    /// <summary>The house's consumption, W.</summary>
    public double? LoadW { get; init; }

    /// <summary>Battery state of charge, %.</summary>
    public double? SocPct { get; init; }

    /// <summary>Today's energy so far (the site's local day).</summary>
    public TodayEnergy? Today { get; init; }

    /// <summary>Each device's health (Online, Stale, Offline, ...).</summary>
    public IReadOnlyDictionary<string, string> Devices { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the site's own page is, when <c>[Web] PublicUrl</c> says so.</summary>
    public string? Page { get; init; }

    /// <summary>The summary of a site now.</summary>
    public static SiteSummary Of(string name, SiteSnapshot site, TodayEnergy today, DateTimeOffset sentUtc, string? page)
    {
        var balance = site.Balance;
        return new SiteSummary
        {
            Name = name, Time = site.Now, SentUtc = sentUtc, Today = today, Page = page,
            PvW = balance.PvW, GridW = balance.GridW, BatteryW = balance.BatteryW, LoadW = balance.LoadW, SocPct = balance.SocPct,
            Devices = site.Devices.ToDictionary(d => d.Key, d => d.Value.Health.ToString()),
        };
    }

    /// <summary>The document as sent.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a summary; null when it is not one (the fleet counts and skips it).</summary>
    public static SiteSummary? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize<SiteSummary>(json, Json) is { Time.Year: > 1 } summary ? summary : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
