using System.Globalization;
using EnergyHub.Services.EvCharging;

namespace EnergyHub.Services.BatteryScheduler;

/// <summary>A <see cref="PlacedDemand"/> as the <see cref="DemandPlan"/> the board carries: its slots as powers, and its reason in words.</summary>
public static class DemandWords
{
    /// <summary>The plan for <paramref name="placed"/> on the plan's <paramref name="slots"/>, made at <paramref name="now"/> by <paramref name="planner"/>.</summary>
    public static DemandPlan Plan(PlacedDemand placed, IReadOnlyList<PlanSlot> slots, DateTimeOffset now, string planner, TimeZoneInfo zone)
    {
        var demand = placed.Demand;
        var planned = new List<DemandSlot>();
        for (var t = 0; t < slots.Count; t++)
        {
            if (placed.Kwh[t] < 1e-3)
            {
                continue;
            }
            var start = slots[t].Start > now ? slots[t].Start : now;
            var end = slots[t].End < demand.Deadline ? slots[t].End : demand.Deadline;
            var hours = Math.Max((end - start).TotalHours, 1e-9);
            planned.Add(new DemandSlot(start, end, Math.Round(placed.Kwh[t] * 1000 / hours), Math.Round(placed.GridKwh[t] * 1000 / hours), slots[t].ImportPerKwh));
        }
        if (placed.BeyondKwh > 1e-3)
        {
            var hours = Math.Max((demand.Deadline - slots[^1].End).TotalHours, 1e-9);
            var powerW = Math.Round(placed.BeyondKwh * 1000 / hours);
            planned.Add(new DemandSlot(slots[^1].End, demand.Deadline, powerW, powerW, null));
        }
        return new DemandPlan(demand, now, planner, planned, Why(placed, slots, now, zone));
    }

    private static string Why(PlacedDemand placed, IReadOnlyList<PlanSlot> slots, DateTimeOffset now, TimeZoneInfo zone)
    {
        var grid = placed.GridKwh.Sum();
        var pv = placed.PvKwh.Sum();
        var stored = placed.Kwh.Sum() - grid - pv;
        var price = grid < 1e-3 ? 0 : placed.GridKwh.Select((g, t) => g * slots[t].ImportPerKwh).Sum() / grid;
        var parts = new List<string>();
        if (pv >= 0.05)
        {
            parts.Add(F($"{pv:0.0} kWh from PV"));
        }
        if (stored >= 0.05)
        {
            parts.Add(F($"{stored:0.0} kWh from the battery"));
        }
        if (grid >= 0.05)
        {
            parts.Add(F($"{grid:0.0} kWh from the grid at {price:0.000}/kWh on average"));
        }
        if (placed.BeyondKwh >= 0.05)
        {
            parts.Add(F($"{placed.BeyondKwh:0.0} kWh after the published prices"));
        }
        var what = F($"{placed.Demand.EnergyWh / 1000:0.0} kWh by {EvPlanner.Local(placed.Demand.Deadline, zone, now)}, planned with the battery");
        var placedText = parts.Count == 0 ? "nothing to charge" : string.Join(", ", parts);
        var shortText = placed.ShortKwh >= 0.05 ? F($"; {placed.ShortKwh:0.0} kWh do not fit before then at {placed.Demand.MaxPowerW / 1000:0.0} kW") : "";
        return $"{what}: {placedText}{shortText}";
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
