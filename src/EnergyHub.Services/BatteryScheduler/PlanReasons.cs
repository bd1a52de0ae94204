using System.Globalization;

namespace EnergyHub.Services.BatteryScheduler;

/// <summary>Each slot's reason in words, from where it stands in the plan: why now, and where the energy goes.</summary>
public static class PlanReasons
{
    /// <summary>The slots with their <see cref="PlannedSlot.Why"/> filled in.</summary>
    public static IReadOnlyList<PlannedSlot> Explain(IReadOnlyList<PlannedSlot> slots) =>
        [.. slots.Select((slot, i) => slot with { Why = Why(slots, i) })];

    private static string Why(IReadOnlyList<PlannedSlot> slots, int i)
    {
        var slot = slots[i];
        var ahead = slots.Skip(i).ToList();
        switch (slot.Action)
        {
            case PlannedAction.ChargeFromGrid:
            {
                var rank = ahead.Count(s => s.ImportPerKwh < slot.ImportPerKwh - 1e-12) + 1;
                return $"charging {Kw(slot.BatteryKw)} from the grid now at {Price(slot.ImportPerKwh)}: the {(rank == 1 ? "" : Ordinal(rank) + " ")}cheapest of the {ahead.Count} slots ahead" +
                       Later(slots, i) + $"; {Pct(slot.SocEndPct)} at the end of the slot";
            }
            case PlannedAction.Discharge:
                return $"discharging {Kw(-slot.BatteryKw)}, exporting {Kw(-slot.GridKw)} at {Price(slot.FeedInPerKwh)}: that earns more now than the energy saves later";
            case PlannedAction.Hold:
                return $"holding the battery at {Pct(slot.SocEndPct)} (grid {Kw(slot.GridKw)} at {Price(slot.GridKw >= 0 ? slot.ImportPerKwh : slot.FeedInPerKwh)})" + Later(slots, i);
            default:
                return slot.BatteryKw < -1e-6 ? $"covering the house from the battery ({Kw(-slot.BatteryKw)}) instead of importing at {Price(slot.ImportPerKwh)}"
                    : slot.BatteryKw > 1e-6 && slot.FeedInPerKwh < 0 ? $"storing {Kw(slot.BatteryKw)} of PV instead of paying {Price(-slot.FeedInPerKwh)} to export it"
                    : slot.BatteryKw > 1e-6 ? $"storing {Kw(slot.BatteryKw)} of PV that would earn {Price(slot.FeedInPerKwh)} exported"
                    : "self-consumption: nothing to store and nothing to cover";
        }
    }

    // Where the energy kept now is used: the first later slot that takes from the battery, and the dearest import until the next charge.
    private static string Later(IReadOnlyList<PlannedSlot> slots, int i)
    {
        var use = slots.Skip(i + 1).TakeWhile(s => s.Action != PlannedAction.ChargeFromGrid).Where(s => s.BatteryKw < -1e-6).ToList();
        return use.Count == 0 ? ""
            : $", to be used from {When(use[0].Start, slots[i].Start)} when the grid costs up to " +
              Price(use.Max(s => s.Action == PlannedAction.Discharge ? s.FeedInPerKwh : s.ImportPerKwh));
    }

    // "21:00", or "tomorrow 06:30" when it falls on the next local day of the slot it is said in (slot times are local).
    private static string When(DateTimeOffset at, DateTimeOffset from)
    {
        var days = (at.Date - from.Date).Days;
        var time = at.ToString("HH:mm", CultureInfo.InvariantCulture);
        return days switch
        {
            0 => time,
            1 => $"tomorrow {time}",
            _ => $"{at.ToString("ddd", CultureInfo.InvariantCulture)} {time}",
        };
    }

    private static string Kw(double kw) => string.Create(CultureInfo.InvariantCulture, $"{Math.Abs(kw):0.0} kW");

    private static string Price(double perKwh) => string.Create(CultureInfo.InvariantCulture, $"{perKwh:0.000}/kWh");

    private static string Pct(double pct) => string.Create(CultureInfo.InvariantCulture, $"{pct:0} %");

    private static string Ordinal(int n) => n + (n % 100 is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });
}
