namespace EnergyHub.Services.EvCharging;

/// <summary>One cycle of a charger: the mode it runs in, what it sent and what it stood on.</summary>
/// <param name="Mode">The mode (the decision's name).</param>
/// <param name="Charger">The charger's device id.</param>
/// <param name="Why">Why it charges or not, in words.</param>
/// <param name="CurrentA">The current sent, A; null when none was.</param>
/// <param name="Stop">Whether charging was stopped.</param>
/// <param name="Phases">The phases sent; null when none were.</param>
/// <param name="Plan">The charge plan's reason; null without a plan.</param>
/// <param name="GridW">The grid's power, W.</param>
/// <param name="PvHeadroomW">PV the inverters hold back and could give, W.</param>
/// <param name="BatteryW">The home battery's power, W.</param>
/// <param name="ChargerW">What the charger delivers, W.</param>
/// <param name="Car">The car's state.</param>
/// <param name="SessionPvWh">This session's energy not from the grid, Wh.</param>
/// <param name="SessionGridWh">This session's energy from the grid, Wh.</param>
/// <param name="TotalPvWh">All energy not from the grid, Wh.</param>
/// <param name="TotalGridWh">All energy from the grid, Wh.</param>
public sealed record EvChargeDecision(string Mode, string Charger, string Why, double? CurrentA, bool Stop, int? Phases, string? Plan, double? GridW,
    double PvHeadroomW, double? BatteryW, double ChargerW, string Car, double SessionPvWh, double SessionGridWh, double TotalPvWh, double TotalGridWh) : Decision
{
    /// <inheritdoc />
    public override string Name => Mode;
}

/// <summary>A charger without a fresh reading: nothing can be decided.</summary>
/// <param name="Charger">The charger's device id.</param>
/// <param name="Why">What cannot be done and what the owner can do.</param>
/// <param name="Health">The charger's health, when it is configured.</param>
public sealed record EvWaiting(string Charger, string Why, string? Health) : Decision
{
    /// <inheritdoc />
    public override string Name => "waiting";
}

/// <summary>The home battery held while a car charges (es-ESS's NoBatToEV), or released.</summary>
/// <param name="Held">Held (true) or released.</param>
/// <param name="Battery">The battery's device id.</param>
/// <param name="Why">In words.</param>
/// <param name="Chargers">The chargers drawing.</param>
/// <param name="Result">The command's result.</param>
/// <param name="Detail">Its detail.</param>
public sealed record BatteryForEvDecision(bool Held, string Battery, string Why, IReadOnlyList<string> Chargers, string Result, string? Detail) : Decision
{
    /// <inheritdoc />
    public override string Name => Held ? "battery_held_for_ev" : "battery_released";
}
