namespace EnergyHub.Services.BatteryScheduler;

/// <summary>
/// The optimal plan for a battery over a price horizon, by dynamic programming over the state of charge (a grid of
/// <see cref="PlannerLimits.SocStepPct"/>): for every slot and state the cheapest way to the end, counting the grid's
/// import cost and feed-in revenue at each slot's prices, the battery's losses and wear, its power limits and reserve,
/// a grid import cap and a target state of charge by a time. What is left in the battery at the end is worth
/// <c>terminalValuePerKwh</c> a kWh (as it will come out). Pure: the same inputs give the same plan.
/// </summary>
public static class BatteryPlanner
{
    private const double MissedTargetPenaltyPerPct = 1e6;

    /// <summary>Plans <paramref name="slots"/> from <paramref name="startSocPct"/>.</summary>
    /// <exception cref="ArgumentException">No slots, or a battery without capacity.</exception>
    public static BatteryPlan Plan(IReadOnlyList<PlanSlot> slots, double startSocPct, BatterySpec battery, PlannerLimits limits, double terminalValuePerKwh)
    {
        if (slots.Count == 0)
        {
            throw new ArgumentException("a plan needs at least one slot of prices", nameof(slots));
        }
        if (battery.CapacityKwh <= 0)
        {
            throw new ArgumentException("the battery needs a capacity above 0 kWh", nameof(battery));
        }
        var step = limits.SocStepPct;
        var states = (int)Math.Round(100 / step) + 1;
        var kwhPerState = battery.CapacityKwh * step / 100;
        var eta = battery.OneWayEfficiency;
        var start = Math.Clamp((int)Math.Round(startSocPct / step), 0, states - 1);
        var reserve = (int)Math.Ceiling(battery.ReserveSocPct / step - 1e-9);
        var top = (int)Math.Floor(battery.MaxSocPct / step + 1e-9);
        var floor = Math.Min(reserve, start);
        var ceiling = Math.Max(top, start);
        var targetSlot = limits.Target is { } target ? Boundary(slots, target.At) : -1;
        var targetState = limits.Target is { } t ? (int)Math.Ceiling(t.SocPct / step - 1e-9) : 0;

        var count = slots.Count;
        var next = new double[states];
        var now = new double[states];
        var choice = new int[count, states];
        for (var s = 0; s < states; s++)
        {
            next[s] = s < floor || s > ceiling ? double.PositiveInfinity : -terminalValuePerKwh * s * kwhPerState * eta + Missed(count, s);
        }
        for (var i = count - 1; i >= 0; i--)
        {
            var slot = slots[i];
            var hours = slot.Length.TotalHours;
            var maxUp = (int)Math.Floor(battery.MaxChargeKw * hours * eta / kwhPerState + 1e-9);
            var maxDown = (int)Math.Floor(battery.MaxDischargeKw * hours / eta / kwhPerState + 1e-9);
            var capKwh = limits.GridImportCapKw * hours;
            // A slot's cost depends only on how far the state moves, not where from.
            var houseGridKwh = Math.Min(0, GridKwh(slot, 0, eta)) - 1e-9;
            var feedsGrid = battery.DischargesToGrid && slot.FeedInPerKwh > 0;
            var moveCost = new double[maxDown + maxUp + 1];
            for (var move = -maxDown; move <= maxUp; move++)
            {
                // No discharge beyond what the house takes where the battery cannot feed the grid, nor where feeding it
                // costs money: making room for PV that would otherwise be exported at an even lower price is what
                // curtailment (the export guard) does for free.
                moveCost[move + maxDown] = !feedsGrid && move < 0 && GridKwh(slot, move * kwhPerState, eta) < houseGridKwh
                    ? double.PositiveInfinity
                    : SlotCost(slot, move * kwhPerState, eta, battery.CycleCostPerKwh, capKwh);
            }
            for (var s = 0; s < states; s++)
            {
                var best = double.PositiveInfinity;
                var bestTo = s;
                if (s >= floor && s <= ceiling)
                {
                    for (var to = Math.Max(floor, s - maxDown); to <= Math.Min(ceiling, s + maxUp); to++)
                    {
                        if (to < reserve && to < s || to > top && to > s)
                        {
                            continue; // below the reserve only upwards, above the top only downwards
                        }
                        var total = moveCost[to - s + maxDown] + next[to];
                        if (total < best)
                        {
                            (best, bestTo) = (total, to);
                        }
                    }
                }
                now[s] = best + Missed(i, s);
                choice[i, s] = bestTo;
            }
            (next, now) = (now, next);
        }

        var planned = new List<PlannedSlot>(count);
        var state = start;
        for (var i = 0; i < count; i++)
        {
            var to = choice[i, state];
            planned.Add(Describe(slots[i], battery, state * step, to * step, (to - state) * kwhPerState, eta, kwhPerState));
            state = to;
        }
        var missed = targetSlot < 0 ? 0 : Math.Max(0, limits.Target!.SocPct - (targetSlot == count ? planned[^1].SocEndPct : planned[targetSlot].SocStartPct));
        var cost = planned.Sum(p => p.Cost) - terminalValuePerKwh * state * kwhPerState * eta;
        return new BatteryPlan(PlanReasons.Explain(planned), cost, missed);

        double Missed(int boundary, int s) => boundary == targetSlot && s < targetState ? MissedTargetPenaltyPerPct * (targetState - s) : 0;
    }

    /// <summary>The site's grid energy in a slot, kWh (+ import), when the battery's stored energy changes by <paramref name="storedKwh"/>.</summary>
    public static double GridKwh(PlanSlot slot, double storedKwh, double eta) =>
        slot.LoadKwh - slot.PvKwh + (storedKwh > 0 ? storedKwh / eta : storedKwh * eta);

    /// <summary>What the stored energy changes by when the battery only follows the house (self-consumption), kWh.</summary>
    public static double SelfConsumptionKwh(PlanSlot slot, BatterySpec battery, double socPct)
    {
        var eta = battery.OneWayEfficiency;
        var hours = slot.Length.TotalHours;
        var surplus = slot.PvKwh - slot.LoadKwh;
        var room = Math.Max(0, (battery.MaxSocPct - socPct) / 100 * battery.CapacityKwh);
        var left = Math.Max(0, (socPct - battery.ReserveSocPct) / 100 * battery.CapacityKwh);
        return surplus >= 0
            ? Math.Min(Math.Min(surplus, battery.MaxChargeKw * hours) * eta, room)
            : -Math.Min(Math.Min(-surplus, battery.MaxDischargeKw * hours) / eta, left);
    }

    private static double SlotCost(PlanSlot slot, double storedKwh, double eta, double cycleCostPerKwh, double? capKwh)
    {
        var grid = GridKwh(slot, storedKwh, eta);
        if (grid > capKwh + 1e-9)
        {
            return double.PositiveInfinity;
        }
        return (grid > 0 ? grid * slot.ImportPerKwh : grid * slot.FeedInPerKwh) + Math.Abs(storedKwh) * cycleCostPerKwh / 2;
    }

    // The index of the first slot that starts at or after `at` (the boundary the target applies to); the count when it
    // is the horizon's end, -1 when the target lies beyond it.
    internal static int Boundary(IReadOnlyList<PlanSlot> slots, DateTimeOffset at)
    {
        for (var i = 0; i < slots.Count; i++)
        {
            if (slots[i].Start >= at)
            {
                return i;
            }
        }
        return slots[^1].End >= at ? slots.Count : -1;
    }

    // Self-consumption when the step is within one state of the battery's own; otherwise the mode that gets there.
    private static PlannedSlot Describe(PlanSlot slot, BatterySpec battery, double fromPct, double toPct, double storedKwh, double eta, double kwhPerState)
    {
        var hours = slot.Length.TotalHours;
        var batteryKwh = storedKwh > 0 ? storedKwh / eta : storedKwh * eta;
        var grid = GridKwh(slot, storedKwh, eta);
        var self = SelfConsumptionKwh(slot, battery, fromPct);
        var tolerance = kwhPerState * 1.01;
        var action = Math.Abs(storedKwh - self) <= tolerance ? PlannedAction.SelfConsume
            : storedKwh > self && storedKwh > 0 && grid > 1e-9 ? PlannedAction.ChargeFromGrid
            : storedKwh < self && storedKwh < 0 && grid < -1e-9 ? PlannedAction.Discharge
            : PlannedAction.Hold;
        var cost = (grid > 0 ? grid * slot.ImportPerKwh : grid * slot.FeedInPerKwh) + Math.Abs(storedKwh) * battery.CycleCostPerKwh / 2;
        return new PlannedSlot(slot.Start, slot.Length, action, batteryKwh / hours, grid / hours, fromPct, toPct, slot.ImportPerKwh, slot.FeedInPerKwh, cost, "");
    }
}
