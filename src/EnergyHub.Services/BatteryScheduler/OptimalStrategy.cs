namespace EnergyHub.Services.BatteryScheduler;

/// <summary>
/// <c>Strategy = Optimal</c>: before every slot, the optimal plan over the prices known (<see cref="BatteryPlanner"/>) with
/// PV and load forecast from the past (<see cref="ProfileForecast"/>); the first slot of it is carried out, as the
/// service does (<see cref="BatteryPlanning.PlanOn"/>).
/// </summary>
public sealed class OptimalStrategy(BatterySpec battery, PlannerLimits limits)
{
    /// <summary>The plan made for the last slot decided.</summary>
    public BatteryPlan? LastPlan { get; private set; }

    /// <summary>The order for the slot <paramref name="view"/> stands before.</summary>
    public BatteryOrder Decide(ReplayView view) => DecideOn(view, ProfileForecast.Fill(view.Past, view.Known));

    /// <summary>The order for the slot <paramref name="view"/> stands before, on the forecast <paramref name="slots"/>.</summary>
    public BatteryOrder DecideOn(ReplayView view, IReadOnlyList<PlanSlot> slots)
    {
        LastPlan = BatteryPlanning.PlanOn(slots, view.SocPct, battery, limits);
        return BatteryOrder.Of(LastPlan.Slots[0]);
    }
}
