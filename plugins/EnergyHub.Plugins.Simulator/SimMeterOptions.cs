using System.ComponentModel.DataAnnotations;
using EnergyHub.Devices;
using EnergyHub.Options;

namespace EnergyHub.Plugins.Simulator;

/// <summary>The keys of a <c>Driver = sim-meter</c> device.</summary>
public sealed class SimMeterOptions : DeviceOptions
{
    /// <summary>What the meter measures: Grid (load − PV, + import / − export), Pv or Load.</summary>
    public MeterRole Role { get; init; } = MeterRole.Grid;

    /// <summary>PV power at solar noon on the simulated clear day, in W.</summary>
    [Range(0.0, 1_000_000.0)]
    public double PvPeakW { get; init; } = 4000;

    /// <summary>Household base load, in W; a morning and an evening peak come on top.</summary>
    [Range(0.0, 1_000_000.0)]
    public double BaseLoadW { get; init; } = 350;

    /// <summary>Standard deviation of measurement noise, in W; 0 for none.</summary>
    [Range(0.0, 100_000.0)]
    public double NoiseW { get; init; } = 40;

    /// <summary>Offset of local solar time from UTC, in hours, so noon is noon where the site is.</summary>
    [Range(-12.0, 14.0)]
    public double UtcOffsetHours { get; init; }

    /// <summary>Seed of the noise; the same seed and clock give the same readings.</summary>
    public int Seed { get; init; } = 1;
}
