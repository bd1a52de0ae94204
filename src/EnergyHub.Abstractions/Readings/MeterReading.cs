namespace EnergyHub.Readings;

/// <summary>
/// A meter's values. For a <see cref="Devices.MeterRole.Grid"/> meter, <see cref="PowerW"/> is positive when
/// importing and negative when exporting; for every other role it is positive in the direction the role names
/// (a PV meter: produced; a load meter: consumed). See <see cref="Conventions"/>.
/// </summary>
/// <param name="PowerW">Total active power over all phases, in W.</param>
public sealed record MeterReading(double PowerW)
{
    /// <summary>Energy imported (grid) or counted in the role's positive direction, in Wh.</summary>
    public double? ImportEnergyWh { get; init; }

    /// <summary>Energy exported (grid) or counted against the role's positive direction, in Wh.</summary>
    public double? ExportEnergyWh { get; init; }

    /// <summary>Grid frequency, in Hz.</summary>
    public double? FrequencyHz { get; init; }

    /// <summary>Per-phase values where the meter knows them, L1 first.</summary>
    public IReadOnlyList<PhaseReading> Phases { get; init; } = [];
}

/// <summary>One phase of a meter, with the same sign as the meter's total.</summary>
/// <param name="VoltageV">Phase voltage, in V.</param>
/// <param name="CurrentA">Phase current, in A.</param>
/// <param name="PowerW">Phase active power, in W.</param>
public sealed record PhaseReading(double? VoltageV, double? CurrentA, double? PowerW);
