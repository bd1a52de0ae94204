using System.ComponentModel.DataAnnotations;
using EnergyHub.Devices;
using EnergyHub.Options;

namespace EnergyHub.Plugins.Shelly;

/// <summary>The keys of a <c>Driver = shelly</c> device: a Shelly energy meter (3EM, EM, Pro 3EM, Pro EM), a power meter
/// (1PM, Plus 1PM, Plug, PM Mini) or a relay, Gen1 or Gen2+.</summary>
public sealed class ShellyOptions : DeviceOptions
{
    /// <summary>The device: 192.168.1.40, 192.168.1.40:8080 or http://192.168.1.40.</summary>
    [Required]
    public string Host { get; init; } = "";

    /// <summary>What it measures: Grid (+ import, − export), Load (a consumer, + consuming) or Pv (an inverter, + producing).</summary>
    public MeterRole Role { get; init; } = MeterRole.Grid;

    /// <summary>The channel (relay, meter, EM1 channel) on multi-channel devices; 0 = the first.</summary>
    [Range(0, 3)]
    public int Channel { get; init; }

    /// <summary>Flip the sign, for a CT clamped the other way round.</summary>
    public bool Invert { get; init; }

    /// <summary>The device's password, when authentication is on (Gen1 Basic with User, Gen2+ Digest as admin); better ENERGYHUB_Device__ID__Password.</summary>
    [Secret]
    public string Password { get; init; } = "";

    /// <summary>The Gen1 user name (Gen2+ is always admin).</summary>
    public string User { get; init; } = "admin";
}
