namespace EnergyHub.Services.SurplusDistributor;

/// <summary>One cycle of the distributor: the surplus and what each consumer got, and why.</summary>
/// <param name="Outcome">distributed, nothing: stale input, or stopped (the decision's name).</param>
/// <param name="SurplusW">The surplus counted, W.</param>
/// <param name="ReservationW">Kept for the battery, W.</param>
/// <param name="AssignedW">Handed out, W.</param>
/// <param name="RemainingW">Not handed out, W.</param>
/// <param name="Allowances">Each consumer's allowance and why, in words.</param>
public sealed record SurplusDecision(string Outcome, double SurplusW, double ReservationW, double AssignedW, double RemainingW, string Allowances) : Decision
{
    /// <inheritdoc />
    public override string Name => Outcome;

    /// <summary>The record of <paramref name="cycle"/>.</summary>
    public static SurplusDecision Of(string outcome, SurplusCycle cycle) => new(outcome, Math.Round(cycle.SurplusW), Math.Round(cycle.ReservationW),
        Math.Round(cycle.AssignedW), Math.Round(cycle.RemainingW), string.Join("; ", cycle.Allowances.Select(a => $"{a.Key} {a.Value.W:0} W ({a.Value.Why})")));
}
