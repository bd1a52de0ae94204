using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;

namespace EnergyHub.Plugins.Shelly;

/// <summary>The keys of a <c>Driver = shelly</c> device: a Shelly energy meter (3EM, EM, Pro 3EM, Pro EM), a power meter
/// (1PM, Plus 1PM, Plug, PM Mini) or a relay, Gen1 or Gen2+.</summary>
public sealed class ShellyOptions : DeviceOptions
{
    /// <summary>The device: 192.168.1.40, 192.168.1.40:8080 or http://192.168.1.40.</summary>
    [Required]
    public string Host { get; init; } = "";

    /// <summary>What it measures: Grid (+ import, − export), Consumer (+ consuming) or PvInverter (+ producing).</summary>
    public ShellyRole Role { get; init; } = ShellyRole.Grid;

    /// <summary>The channel (relay, meter, EM1 channel) on multi-channel devices; 0 = the first.</summary>
    [Range(0, 3)]
    public int Channel { get; init; }

    /// <summary>The phase (1–3) a single-phase device sits on, on a three-phase site; unset = a single-phase site.</summary>
    [Range(1, 3)]
    public int? Phase { get; init; }

    /// <summary>Flip the sign, for a CT clamped the other way round.</summary>
    public bool Invert { get; init; }

    /// <summary>Where the energy counters come from: the device's own (Default), or integrated from the signed total power (Net).</summary>
    public ShellyMetering Metering { get; init; } = ShellyMetering.Default;

    /// <summary>The device's password, when authentication is on (Gen1 Basic with User, Gen2+ Digest as admin); better ENERGYHUB_Device__ID__Password.</summary>
    [Secret]
    public string Password { get; init; } = "";

    /// <summary>The Gen1 user name (Gen2+ is always admin).</summary>
    public string User { get; init; } = "admin";

    /// <summary>How long one request may take: half the poll interval (so requests never pile up), at most <see cref="DeviceOptions.Timeout"/>.</summary>
    public TimeSpan RequestTimeout => PollInterval / 2 < Timeout ? PollInterval / 2 : Timeout;
}

/// <summary>What a Shelly measures, which fixes the sign of its power.</summary>
public enum ShellyRole
{
    /// <summary>The grid connection: + import, − export.</summary>
    Grid,
    /// <summary>A consumer (a heater, a pool pump): + consuming.</summary>
    Consumer,
    /// <summary>A PV inverter's output: + producing.</summary>
    PvInverter,
    /// <summary>Consumer, by the name the other meter drivers use.</summary>
    Load = Consumer,
    /// <summary>PvInverter, by the name the other meter drivers use.</summary>
    Pv = PvInverter,
}

/// <summary>Where a Shelly meter's energy counters come from.</summary>
public enum ShellyMetering
{
    /// <summary>The device's own counters. A 3EM's are per phase and not netted across phases.</summary>
    Default,
    /// <summary>An import/export pair integrated from the signed total power, netted across phases as a utility meter counts,
    /// kept in the device's data directory (saved every 5 minutes and on stop).</summary>
    Net,
}
