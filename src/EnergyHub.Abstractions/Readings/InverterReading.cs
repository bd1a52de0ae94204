namespace EnergyHub.Readings;

/// <summary>What a PV inverter produces. Positive = producing (see <see cref="Conventions"/>).</summary>
/// <param name="PvPowerW">DC power from the PV strings, in W.</param>
/// <param name="AcPowerW">AC output power, in W.</param>
public sealed record InverterReading(double PvPowerW, double AcPowerW)
{
    /// <summary>The active-power limit in force, in percent of rated power, when the inverter reports it.</summary>
    public double? ActivePowerLimitPct { get; init; }

    /// <summary>Energy produced today, in Wh.</summary>
    public double? DailyEnergyWh { get; init; }

    /// <summary>Energy produced over the inverter's life, in Wh.</summary>
    public double? TotalEnergyWh { get; init; }

    /// <summary>PV power the inverter could produce but does not because of a limit, in W, when it knows (simulators do).</summary>
    public double? CurtailedPowerW { get; init; }

    /// <summary>Inverter temperature, in °C.</summary>
    public double? TemperatureC { get; init; }
}
