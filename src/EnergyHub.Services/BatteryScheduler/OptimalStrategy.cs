namespace EnergyHub.Services.BatteryScheduler;

/// <summary>
/// <c>Strategy = Optimal</c>: before every slot, the optimal plan over the prices known (<see cref="BatteryPlanner"/>) with
/// PV and load forecast from the past (<see cref="ProfileForecast"/>); the first slot of it is carried out. What is left
/// in the battery at the horizon's end is worth the horizon's cheapest import price (of the values tried on the 2025
/// replay, the mean and 0 cost more).
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
        var terminal = slots.Min(s => s.ImportPerKwh); // as BatteryPlanning.Plan does
        var plan = BatteryPlanner.Plan(slots, view.SocPct, battery, limits, terminal);
        LastPlan = plan;
        var first = plan.Slots[0];
        return first.Action == PlannedAction.SelfConsume ? BatteryOrder.SelfConsume with { Why = first.Why } : new BatteryOrder(first.Action, first.BatteryKw, first.Why);
    }
}
