namespace EnergyHub.Services.BatteryScheduler;

/// <summary>The mode the battery was told, and why.</summary>
/// <param name="Mode">Auto, Hold, ChargeFromGrid or Discharge (the decision's name).</param>
/// <param name="Why">In words.</param>
/// <param name="PowerW">The power asked for, W.</param>
/// <param name="TargetSocPct">Where grid charging stops, %.</param>
/// <param name="SocPct">The state of charge now, %.</param>
/// <param name="Strategy">Optimal or Rules.</param>
public sealed record BatteryScheduleDecision(string Mode, string Why, double? PowerW, double? TargetSocPct, double SocPct, string Strategy) : Decision
{
    /// <inheritdoc />
    public override string Name => Mode;
}
