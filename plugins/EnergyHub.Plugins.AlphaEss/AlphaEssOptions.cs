using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;

namespace EnergyHub.Plugins.AlphaEss;

/// <summary>The keys of a <c>Driver = alphaess</c> device.</summary>
public sealed class AlphaEssOptions : DeviceOptions
{
    /// <summary>Cloud telemetry: stale after 45 s without a successful fetch; polled every 15 s; a read may take 25 s.</summary>
    public AlphaEssOptions()
    {
        StaleAfter = TimeSpan.FromSeconds(45);
        PollInterval = TimeSpan.FromSeconds(15);
        // A first read after a quick restart waits out the rest of MinRequestInterval, then takes up to 12 s (HTTP).
        Timeout = TimeSpan.FromSeconds(25);
        CommandMinInterval = TimeSpan.FromMinutes(5);
        CommandReassertAfter = TimeSpan.FromMinutes(30);
    }

    /// <summary>The AppID from the AlphaESS developer portal (starts with "alpha").</summary>
    [Required]
    public string AppId { get; init; } = "";

    /// <summary>The AppSecret; better set as ENERGYHUB_Device__&lt;id&gt;__AppSecret.</summary>
    [Required]
    [Secret]
    public string AppSecret { get; init; } = "";

    /// <summary>The system's serial (sysSn), or its 1-based position in the account's list; empty = the only system.</summary>
    public string SystemSn { get; init; } = "";

    /// <summary>The API's address; point it at an emulator on 127.0.0.1 for tests.</summary>
    public Uri BaseUrl { get; init; } = new("https://openapi.alphaess.com/api/");

    /// <summary>True if this system reports pbat positive while charging (the documented systems report + discharging).</summary>
    public bool BatteryPositiveIsCharge { get; init; }

    /// <summary>True if pgrid is positive while importing (as documented).</summary>
    public bool GridPositiveIsImport { get; init; } = true;

    /// <summary>Shortest time between two requests to the API; AlphaESS answers 6053 when asked too fast.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan MinRequestInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Let services set the battery's mode through AlphaESS's charge and discharge windows (they replace what is set
    /// there; the old values are logged once). Off: EnergyHub only reads this system.
    /// </summary>
    public bool BatteryControl { get; init; }

    /// <summary>How far ahead a grid-charge window reaches from the current quarter hour; a charge that goes on is extended before it ends.</summary>
    [Range(typeof(TimeSpan), "00:30:00", "12:00:00")]
    public TimeSpan ChargeWindow { get; init; } = TimeSpan.FromHours(2);

    /// <summary>The system's time zone (IANA, e.g. Europe/Berlin), in which AlphaESS reads the windows; empty = the site's (<c>[Common] TimeZone</c>).</summary>
    public string TimeZone { get; init; } = "";
}
