namespace EnergyHub.Services.AxpertCharger;

/// <summary>One tick of the charger: the stage, the averages it stands on and the float voltage it set.</summary>
/// <param name="Reason">Why (the decision's name).</param>
/// <param name="Stage">Bulk, Absorption or Float.</param>
/// <param name="Transition">Whether the stage changed (or the fail-safe began) in this tick.</param>
/// <param name="AverageVoltageV">The averaged battery voltage, V.</param>
/// <param name="AverageCurrentA">The averaged charge current, A.</param>
/// <param name="AbsorbedMinutes">Time spent at the absorption voltage, min.</param>
/// <param name="EndCurrentA">Absorption ends below this current, A.</param>
/// <param name="FloatSetpointV">The float voltage (PBFT) wanted, V.</param>
/// <param name="WriteResult">The command's result, when one was sent.</param>
/// <param name="WriteDetail">Its detail.</param>
public sealed record AxpertChargerDecision(string Reason, string Stage, bool Transition, double? AverageVoltageV, double? AverageCurrentA, double AbsorbedMinutes,
    double EndCurrentA, double FloatSetpointV, string? WriteResult, string? WriteDetail) : Decision
{
    /// <inheritdoc />
    public override string Name => Reason;
}

/// <summary>The charger stopped: the real float voltage restored.</summary>
/// <param name="FloatSetpointV">The float voltage written, V.</param>
/// <param name="WriteResult">The command's result.</param>
/// <param name="WriteDetail">Its detail.</param>
public sealed record AxpertChargerStopped(double FloatSetpointV, string WriteResult, string? WriteDetail) : Decision
{
    /// <inheritdoc />
    public override string Name => "stopped";
}
