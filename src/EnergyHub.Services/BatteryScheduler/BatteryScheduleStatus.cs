using EnergyHub.Devices;

namespace EnergyHub.Services.BatteryScheduler;

/// <summary>What the BatteryScheduler shows (<c>GET /api/battery/plan</c>).</summary>
/// <param name="Strategy">Optimal or Rules.</param>
/// <param name="Mode">The mode the battery is told now.</param>
/// <param name="PowerW">Its power, W (ChargeFromGrid, Discharge).</param>
/// <param name="TargetSocPct">Where grid charging stops, %.</param>
/// <param name="Why">Why, in words.</param>
/// <param name="SocPct">The state of charge now.</param>
/// <param name="Currency">The prices' currency.</param>
/// <param name="ForecastDays">Days of PV and load history the forecast stands on (up to 15).</param>
/// <param name="PlanCost">The plan's expected cost, in the currency; null with Rules.</param>
/// <param name="Slots">The plan, slot by slot (Optimal); empty with Rules.</param>
public sealed record BatteryScheduleStatus(ScheduleStrategy Strategy, BatteryMode Mode, double? PowerW, double? TargetSocPct, string Why, double SocPct,
    string Currency, double ForecastDays, double? PlanCost, IReadOnlyList<PlannedSlot> Slots);
