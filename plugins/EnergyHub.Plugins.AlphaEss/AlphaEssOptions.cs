using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;

namespace EnergyHub.Plugins.AlphaEss;

/// <summary>The keys of a <c>Driver = alphaess</c> device.</summary>
public sealed class AlphaEssOptions : DeviceOptions
{
    /// <summary>Cloud telemetry: stale after 45 s without a successful fetch; polled every 15 s.</summary>
    public AlphaEssOptions()
    {
        StaleAfter = TimeSpan.FromSeconds(45);
        PollInterval = TimeSpan.FromSeconds(15);
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
}
