using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;

namespace EnergyHub.Plugins.Axpert;

/// <summary>How the inverter is connected.</summary>
public enum AxpertTransport
{
    /// <summary>USB, as a Linux hidraw node (8-byte HID reports).</summary>
    Hid,
    /// <summary>RS-232 (or a USB serial adapter), 2400 8N1.</summary>
    Serial,
}

/// <summary>The keys of a <c>Driver = axpert</c> device.</summary>
public sealed class AxpertOptions : DeviceOptions
{
    /// <summary>QPIGS every 10 s by default; the link is slow and some firmwares dislike being hurried.</summary>
    public AxpertOptions() => PollInterval = TimeSpan.FromSeconds(10);

    /// <summary>Hid or Serial.</summary>
    public AxpertTransport Transport { get; init; } = AxpertTransport.Hid;

    /// <summary>The device node, e.g. /dev/hidraw0 or /dev/ttyUSB0.</summary>
    [Required]
    public string Device { get; init; } = "";

    /// <summary>Serial speed (Axpert: 2400).</summary>
    [Range(1200, 230400)]
    public int BaudRate { get; init; } = 2400;

    /// <summary>How long one reply may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.2", "00:00:30")]
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(3);
}
