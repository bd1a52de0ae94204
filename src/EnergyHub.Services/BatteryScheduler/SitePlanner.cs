using Google.OrTools.LinearSolver;

namespace EnergyHub.Services.BatteryScheduler;

/// <summary>Where the plan puts one <see cref="EnergyDemand"/>.</summary>
/// <param name="Demand">The demand.</param>
/// <param name="Kwh">Energy into it per slot of the plan, kWh.</param>
/// <param name="GridKwh">Of that, what the plan takes from the grid per slot, kWh.</param>
/// <param name="PvKwh">Of that, what comes from PV the house and the battery leave per slot, kWh (the rest, from the battery).</param>
/// <param name="BeyondKwh">Energy left for after the price horizon (its deadline lies beyond the published prices), kWh.</param>
/// <param name="ShortKwh">Energy that does not fit before the deadline at the demand's power, kWh.</param>
public sealed record PlacedDemand(EnergyDemand Demand, IReadOnlyList<double> Kwh, IReadOnlyList<double> GridKwh, IReadOnlyList<double> PvKwh, double BeyondKwh, double ShortKwh);

/// <summary>The battery's plan with the demands planned beside it.</summary>
/// <param name="Battery">The battery's plan, with the demands' energy counted as load where they are placed.</param>
/// <param name="Demands">Where each demand goes.</param>
public sealed record SitePlan(BatteryPlan Battery, IReadOnlyList<PlacedDemand> Demands);

/// <summary>
/// Plans the battery and the site's other stores with deadlines (a car's charge plan) together. A linear programme
/// (GLOP) over the price horizon places each demand's energy where the whole site's cost is lowest, with the battery
/// free to move as well: PV the house and the battery leave, the cheapest imports, the battery's own energy where
/// discharging into the car pays; PV may be curtailed. Then <see cref="BatteryPlanner"/> plans the battery, with its
/// every rule, on the house's load plus the demands where they were placed; without demands it is that planner alone.
/// Equal costs put a demand's energy later (PV until then may make it unnecessary); time beyond the published prices
/// counts as dearer than any published, so it is used last. Pure: the same inputs give the same plan.
/// </summary>
public static class SitePlanner
{
    private const double MissedTargetPenaltyPerKwh = 1000;
    private const double ShortPenaltyPerKwh = 500;
    private const double LaterIsBetterPerSlot = 1e-7;

    /// <summary>Plans <paramref name="slots"/> from <paramref name="startSocPct"/> with <paramref name="demands"/> standing at <paramref name="now"/>.</summary>
    /// <exception cref="ArgumentException">No slots, or a battery without capacity.</exception>
    /// <exception cref="InvalidOperationException">The solver is missing or found no solution.</exception>
    public static SitePlan Plan(IReadOnlyList<PlanSlot> slots, double startSocPct, BatterySpec battery, PlannerLimits limits, double terminalValuePerKwh,
        IReadOnlyList<EnergyDemand> demands, DateTimeOffset now)
    {
        if (demands.Count == 0)
        {
            return new SitePlan(BatteryPlanner.Plan(slots, startSocPct, battery, limits, terminalValuePerKwh), []);
        }
        var placed = Place(slots, startSocPct, battery, limits, terminalValuePerKwh, demands, now);
        var withDemands = slots.Select((s, t) => s with { LoadKwh = s.LoadKwh + placed.Sum(d => d.Kwh[t]) }).ToList();
        var plan = BatteryPlanner.Plan(withDemands, startSocPct, battery, limits, terminalValuePerKwh);
        // In each slot of the battery's plan the demands take the PV the house and the battery's charging leave first, then
        // the grid's import, then the battery; several demands share in proportion to their energy there.
        var attributed = placed.Select(d =>
        {
            var (grid, pv) = (new double[slots.Count], new double[slots.Count]);
            for (var t = 0; t < slots.Count; t++)
            {
                var all = placed.Sum(p => p.Kwh[t]);
                if (all <= 1e-9)
                {
                    continue;
                }
                var hours = slots[t].Length.TotalHours;
                var pvLeft = Math.Max(0, slots[t].PvKwh - slots[t].LoadKwh - Math.Max(0, plan.Slots[t].BatteryKw * hours));
                var fromPv = Math.Min(all, pvLeft);
                var fromGrid = Math.Min(all - fromPv, Math.Max(0, plan.Slots[t].GridKw * hours));
                (pv[t], grid[t]) = (fromPv * d.Kwh[t] / all, fromGrid * d.Kwh[t] / all);
            }
            return d with { GridKwh = grid, PvKwh = pv };
        }).ToList();
        return new SitePlan(plan, attributed);
    }

    // The linear programme; kWh throughout.
    private static List<PlacedDemand> Place(IReadOnlyList<PlanSlot> slots, double startSocPct, BatterySpec battery, PlannerLimits limits, double terminalValuePerKwh,
        IReadOnlyList<EnergyDemand> demands, DateTimeOffset now)
    {
        if (slots.Count == 0)
        {
            throw new ArgumentException("a plan needs at least one slot of prices", nameof(slots));
        }
        if (battery.CapacityKwh <= 0)
        {
            throw new ArgumentException("the battery needs a capacity above 0 kWh", nameof(battery));
        }
        using var solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools' GLOP solver is not available on this machine.");
        var objective = solver.Objective();
        objective.SetMinimization();
        var eta = battery.OneWayEfficiency;
        double Kwh(double pct) => battery.CapacityKwh * pct / 100;
        var startKwh = Kwh(Math.Clamp(startSocPct, 0, 100));
        var floor = Math.Min(Kwh(battery.ReserveSocPct), startKwh);
        var ceiling = Math.Max(Kwh(battery.MaxSocPct), startKwh);
        var dearest = slots.Max(s => s.ImportPerKwh);

        var perDemand = demands.Select(d => (Demand: d, Draws: new Variable?[slots.Count], Energy: solver.MakeConstraint(d.EnergyWh / 1000, d.EnergyWh / 1000, $"energy_{d.Id}")))
            .ToList();
        var targetSlot = limits.Target is { } target ? BatteryPlanner.Boundary(slots, target.At) : -1;
        Variable? stored = null;
        for (var t = 0; t < slots.Count; t++)
        {
            var slot = slots[t];
            var hours = slot.Length.TotalHours;
            if (t == targetSlot)
            {
                AddTarget(stored);
            }
            var balance = solver.MakeConstraint(slot.LoadKwh - slot.PvKwh, slot.LoadKwh - slot.PvKwh, $"balance_{t}");
            var import = solver.MakeNumVar(0, limits.GridImportCapKw is { } cap ? cap * hours : double.PositiveInfinity, $"import_{t}");
            var feedsGrid = battery.DischargesToGrid && slot.FeedInPerKwh > 0;
            // No export beyond PV's own surplus where the battery cannot or should not feed the grid (as the battery's planner).
            var export = solver.MakeNumVar(0, feedsGrid ? double.PositiveInfinity : Math.Max(0, slot.PvKwh - slot.LoadKwh), $"export_{t}");
            var curtail = solver.MakeNumVar(0, Math.Max(0, slot.PvKwh), $"curtail_{t}");
            var charge = solver.MakeNumVar(0, battery.MaxChargeKw * hours, $"charge_{t}");
            var discharge = solver.MakeNumVar(0, battery.MaxDischargeKw * hours, $"discharge_{t}");
            balance.SetCoefficient(import, 1);
            balance.SetCoefficient(export, -1);
            balance.SetCoefficient(curtail, -1);
            balance.SetCoefficient(charge, -1);
            balance.SetCoefficient(discharge, 1);
            objective.SetCoefficient(import, slot.ImportPerKwh);
            // Paid no more for export than import costs, which keeps the programme bounded on odd tariffs.
            objective.SetCoefficient(export, -Math.Min(slot.FeedInPerKwh, slot.ImportPerKwh));
            objective.SetCoefficient(charge, eta * battery.CycleCostPerKwh / 2);
            objective.SetCoefficient(discharge, battery.CycleCostPerKwh / 2 / eta);
            foreach (var (demand, draws, energy) in perDemand)
            {
                var open = Overlap(slot.Start, slot.End, now, demand.Deadline);
                if (open <= 0)
                {
                    continue;
                }
                var draw = solver.MakeNumVar(0, demand.MaxPowerW / 1000 * open, $"draw_{demand.Id}_{t}");
                balance.SetCoefficient(draw, -1);
                energy.SetCoefficient(draw, 1);
                objective.SetCoefficient(draw, LaterIsBetterPerSlot * (slots.Count - t));
                draws[t] = draw;
            }
            stored = EnergyHub.Core.Planning.StoredEnergy.After(solver, stored, startKwh, floor, ceiling, charge, discharge, eta, t);
        }
        if (targetSlot == slots.Count)
        {
            AddTarget(stored);
        }
        objective.SetCoefficient(stored!, -terminalValuePerKwh * eta);

        var beyond = new List<Variable?>();
        var shorts = new List<Variable>();
        foreach (var (demand, _, energy) in perDemand)
        {
            var afterHorizon = Overlap(slots[^1].End, DateTimeOffset.MaxValue, now, demand.Deadline);
            Variable? later = null;
            if (afterHorizon > 0)
            {
                later = solver.MakeNumVar(0, demand.MaxPowerW / 1000 * afterHorizon, $"beyond_{demand.Id}");
                energy.SetCoefficient(later, 1);
                objective.SetCoefficient(later, dearest + 1);
            }
            beyond.Add(later);
            var missing = solver.MakeNumVar(0, double.PositiveInfinity, $"short_{demand.Id}");
            energy.SetCoefficient(missing, 1);
            objective.SetCoefficient(missing, ShortPenaltyPerKwh);
            shorts.Add(missing);
        }
        var status = solver.Solve();
        if (status != Solver.ResultStatus.OPTIMAL)
        {
            throw new InvalidOperationException($"the site's plan found no solution (the solver ended {status})");
        }
        return [.. perDemand.Select((d, k) => new PlacedDemand(d.Demand, [.. d.Draws.Select(v => v is null ? 0 : Math.Max(0, v.SolutionValue()))], new double[slots.Count], new double[slots.Count],
            beyond[k]?.SolutionValue() ?? 0, shorts[k].SolutionValue()))];

        void AddTarget(Variable? before)
        {
            var missed = solver.MakeNumVar(0, double.PositiveInfinity, "target_missed");
            objective.SetCoefficient(missed, MissedTargetPenaltyPerKwh);
            var targetKwh = Kwh(limits.Target!.SocPct);
            if (before is null)
            {
                // The target is at the start: it is met or not by the state of charge now.
                missed.SetLb(Math.Max(0, targetKwh - startKwh));
                return;
            }
            var reach = solver.MakeConstraint(targetKwh, double.PositiveInfinity, "target");
            reach.SetCoefficient(before, 1);
            reach.SetCoefficient(missed, 1);
        }
    }

    // Hours of [start, end) that lie within [from, until).
    private static double Overlap(DateTimeOffset start, DateTimeOffset end, DateTimeOffset from, DateTimeOffset until)
    {
        var a = start > from ? start : from;
        var b = end < until ? end : until;
        return b > a ? (b - a).TotalHours : 0;
    }
}
