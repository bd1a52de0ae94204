namespace EnergyHub.Services.BatteryScheduler;

/// <summary>What the battery does in a slot.</summary>
public enum PlannedAction
{
    /// <summary>The inverter's own self-consumption: store the surplus, cover the house.</summary>
    SelfConsume,
    /// <summary>Charge from the grid (and PV) at a power.</summary>
    ChargeFromGrid,
    /// <summary>Neither more charging than planned nor discharging: keep the energy for later.</summary>
    Hold,
    /// <summary>Discharge beyond the house's need, exporting.</summary>
    Discharge,
}

/// <summary>One slot of a plan.</summary>
/// <param name="Start">The slot's start.</param>
/// <param name="Length">Its length.</param>
/// <param name="Action">What the battery does.</param>
/// <param name="BatteryKw">The battery's mean AC power, kW, + charging.</param>
/// <param name="GridKw">The site's mean grid power, kW, + import.</param>
/// <param name="SocStartPct">State of charge at the start, %.</param>
/// <param name="SocEndPct">State of charge at the end, %.</param>
/// <param name="ImportPerKwh">The import price of the slot.</param>
/// <param name="FeedInPerKwh">The feed-in price of the slot.</param>
/// <param name="Cost">Grid cost of the slot (import cost less feed-in revenue) plus wear.</param>
/// <param name="Why">The reason, in words.</param>
public sealed record PlannedSlot(DateTimeOffset Start, TimeSpan Length, PlannedAction Action, double BatteryKw, double GridKw, double SocStartPct,
    double SocEndPct, double ImportPerKwh, double FeedInPerKwh, double Cost, string Why);

/// <summary>A plan over the price horizon.</summary>
/// <param name="Slots">Every slot, in time order.</param>
/// <param name="Cost">Its expected cost: grid cost plus wear, less the value of what is left in the battery at the end.</param>
/// <param name="TargetMissedPct">How far the plan falls short of the target state of charge (0 when it is met).</param>
public sealed record BatteryPlan(IReadOnlyList<PlannedSlot> Slots, double Cost, double TargetMissedPct);
