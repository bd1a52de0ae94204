using System.Globalization;

namespace EnergyHub.Services.BatteryScheduler;

/// <summary>
/// The owner's word over the plan (the <c>ChargeNowToPct</c> and <c>NoGridChargingHours</c> settings), applied to the
/// strategy's order before the safety checks, which still stop a grid charge the battery or the grid is not fit for.
/// </summary>
public static class ManualOverride
{
    /// <summary>
    /// <paramref name="planned"/>, unless a charge to <paramref name="chargeNowToPct"/> is asked and not reached (then a
    /// grid charge at the battery's full power to it), or grid charging is off until <paramref name="noGridChargingUntil"/>
    /// (then self-consumption where the plan charged from the grid).
    /// </summary>
    public static BatteryOrder Apply(BatteryOrder planned, double socPct, double? chargeNowToPct, DateTimeOffset? noGridChargingUntil, DateTimeOffset now,
        BatterySpec battery, TimeZoneInfo zone)
    {
        if (chargeNowToPct is { } to && socPct < to)
        {
            return new BatteryOrder(PlannedAction.ChargeFromGrid, battery.MaxChargeKw,
                string.Create(CultureInfo.InvariantCulture, $"charging now to {to:0.#} % as asked (ChargeNowToPct), whatever the plan; the plan resumes there"), to);
        }
        if (noGridChargingUntil is { } until && until > now && planned.Action == PlannedAction.ChargeFromGrid)
        {
            var local = TimeZoneInfo.ConvertTime(until, zone).ToString("HH:mm", CultureInfo.InvariantCulture);
            return new BatteryOrder(PlannedAction.SelfConsume, 0, $"no grid charging until {local} as asked (NoGridChargingHours): self-consumption instead (planned: {planned.Why})");
        }
        return planned;
    }
}
