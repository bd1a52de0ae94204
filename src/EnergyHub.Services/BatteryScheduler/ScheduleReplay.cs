namespace EnergyHub.Services.BatteryScheduler;

/// <summary>What a battery is told for one slot: a mode and, outside self-consumption, its AC power (+ charging), kW.</summary>
/// <param name="Action">The mode.</param>
/// <param name="BatteryKw">The power for ChargeFromGrid, Hold and Discharge; ignored in self-consumption.</param>
/// <param name="Why">The reason, in words.</param>
/// <param name="TargetSocPct">Where charging stops; null = the battery's top.</param>
public sealed record BatteryOrder(PlannedAction Action, double BatteryKw, string Why, double? TargetSocPct = null)
{
    /// <summary>
    /// For Hold: store every bit of PV surplus the battery can take rather than only the planned power (set while
    /// exporting pays nothing, so keeping room for later never throws PV away).
    /// </summary>
    public bool HoldStoresAllPv { get; init; }

    /// <summary>The inverter's own self-consumption.</summary>
    public static BatteryOrder SelfConsume { get; } = new(PlannedAction.SelfConsume, 0, "self-consumption");

    /// <summary>What a plan's slot tells the battery: its mode, its power and, for grid charging, the slot's end state as target.</summary>
    public static BatteryOrder Of(PlannedSlot slot) => slot.Action == PlannedAction.SelfConsume
        ? SelfConsume with { Why = slot.Why }
        : new BatteryOrder(slot.Action, slot.BatteryKw, slot.Why, slot.Action == PlannedAction.ChargeFromGrid ? slot.SocEndPct : null);

    /// <summary>What the coordinator's rules tell the battery: the seed's fast charge (90 % of the charge power) to the decision's target, or self-consumption.</summary>
    public static BatteryOrder Of(RulesDecision decision, BatterySpec battery) => decision.Charge
        ? new BatteryOrder(PlannedAction.ChargeFromGrid, battery.MaxChargeKw * 0.9, $"{decision.Tier}: {decision.Why}", decision.TargetSocPct)
        : SelfConsume with { Why = $"{decision.Tier}: {decision.Why}" };
}

/// <summary>What a strategy sees before one slot: the slots so far (actual), the prices known now and the state of charge.</summary>
/// <param name="Index">The slot to decide.</param>
/// <param name="Past">Every slot before it, as it was.</param>
/// <param name="Known">The slot to decide and those after it whose prices are published (their PV and load are 0: a strategy forecasts them from <paramref name="Past"/>).</param>
/// <param name="SocPct">The state of charge now.</param>
public sealed record ReplayView(int Index, IReadOnlyList<PlanSlot> Past, IReadOnlyList<PlanSlot> Known, double SocPct);

/// <summary>How a replay went.</summary>
/// <param name="NetCost">Import cost less feed-in revenue.</param>
/// <param name="ImportKwh">Energy from the grid.</param>
/// <param name="ExportKwh">Energy to the grid.</param>
/// <param name="GridChargeKwh">Energy the battery took from the grid (beyond the PV surplus).</param>
/// <param name="EquivalentCycles">The battery's throughput in full cycles.</param>
public sealed record ReplayResult(double NetCost, double ImportKwh, double ExportKwh, double GridChargeKwh, double EquivalentCycles);

/// <summary>
/// Replays a strategy over actual slots: before each slot the strategy gives an order; the battery carries it out on
/// the slot's actual PV and load (self-consumption follows them; a power is held within the battery's limits and state
/// of charge), and the grid settles the rest at the slot's prices.
/// </summary>
public static class ScheduleReplay
{
    /// <summary>Runs <paramref name="strategy"/> over <paramref name="slots"/> from <paramref name="startSocPct"/>; <paramref name="known"/> gives how many slots' prices are published before slot i.</summary>
    public static ReplayResult Run(IReadOnlyList<PlanSlot> slots, BatterySpec battery, double startSocPct, Func<int, int> known, Func<ReplayView, BatteryOrder> strategy,
        IProgress<double>? progress = null)
    {
        var eta = battery.OneWayEfficiency;
        double soc = startSocPct, cost = 0, import = 0, export = 0, gridCharge = 0, throughput = 0;
        var list = slots as PlanSlot[] ?? [.. slots];
        for (var i = 0; i < list.Length; i++)
        {
            var slot = list[i];
            var order = strategy(new ReplayView(i, new ArraySegment<PlanSlot>(list, 0, i), 
                [.. list.Skip(i).Take(Math.Min(list.Length, known(i)) - i).Select(s => s with { PvKwh = 0, LoadKwh = 0 })], soc));
            var stored = Carry(order, slot, battery, soc);
            var grid = BatteryPlanner.GridKwh(slot, stored, eta);
            var chargedAc = stored > 0 ? stored / eta : 0;
            gridCharge += Math.Max(0, Math.Min(chargedAc - Math.Max(0, slot.PvKwh - slot.LoadKwh), grid));
            cost += grid > 0 ? grid * slot.ImportPerKwh : grid * slot.FeedInPerKwh;
            import += Math.Max(0, grid);
            export += Math.Max(0, -grid);
            throughput += Math.Abs(stored);
            soc += stored / battery.CapacityKwh * 100;
            if (i % 500 == 0)
            {
                progress?.Report((double)i / list.Length);
            }
        }
        return new ReplayResult(cost, import, export, gridCharge, throughput / 2 / battery.CapacityKwh);
    }

    /// <summary>The change of stored energy, kWh, when the battery carries out <paramref name="order"/> in <paramref name="slot"/>.</summary>
    public static double Carry(BatteryOrder order, PlanSlot slot, BatterySpec battery, double socPct)
    {
        if (order.Action == PlannedAction.SelfConsume)
        {
            return BatteryPlanner.SelfConsumptionKwh(slot, battery, socPct);
        }
        var eta = battery.OneWayEfficiency;
        var hours = slot.Length.TotalHours;
        var room = Math.Max(0, (Math.Min(battery.MaxSocPct, order.TargetSocPct ?? 100) - socPct) / 100 * battery.CapacityKwh);
        var left = Math.Max(0, (socPct - battery.ReserveSocPct) / 100 * battery.CapacityKwh);
        return order.BatteryKw >= 0
            ? Math.Min(Math.Min(order.BatteryKw, battery.MaxChargeKw) * hours * eta, room)
            : -Math.Min(Math.Min(-order.BatteryKw, battery.MaxDischargeKw) * hours / eta, left);
    }
}
