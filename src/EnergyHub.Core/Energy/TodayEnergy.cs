namespace EnergyHub.Core.Energy;

/// <summary>
/// The site's energy and money since local midnight, in kWh and the prices' currency. Self-consumed PV is PV less
/// export; EV energy from PV is the EV's draw less what the grid supplied at that instant (grid import counts towards
/// the EV first, as <c>EvEnergySplit</c> counts it).
/// </summary>
/// <param name="Day">The local day counted.</param>
public sealed record TodayEnergy(DateOnly Day)
{
    /// <summary>The instant counted up to; counts that run past the clock (a demo restarted at its ClockStart) are not today's.</summary>
    public DateTimeOffset? CountedUntil { get; init; }

    /// <summary>PV produced.</summary>
    public double PvKwh { get; init; }
    /// <summary>PV used on site (PV less export).</summary>
    public double SelfConsumedKwh { get; init; }
    /// <summary>Energy to the grid.</summary>
    public double ExportKwh { get; init; }
    /// <summary>Energy from the grid.</summary>
    public double ImportKwh { get; init; }
    /// <summary>Energy into the battery.</summary>
    public double BatteryInKwh { get; init; }
    /// <summary>Energy out of the battery.</summary>
    public double BatteryOutKwh { get; init; }
    /// <summary>Everything the house used (EV included).</summary>
    public double LoadKwh { get; init; }
    /// <summary>Energy into EVs.</summary>
    public double EvKwh { get; init; }
    /// <summary>EV energy the grid did not supply.</summary>
    public double EvFromPvKwh { get; init; }
    /// <summary>What the import cost.</summary>
    public double ImportCost { get; init; }
    /// <summary>What the export earned (negative when exporting cost money).</summary>
    public double FeedInRevenue { get; init; }
    /// <summary>The prices' currency; empty until a price is known.</summary>
    public string Currency { get; init; } = "";
    /// <summary>
    /// What the same day would have cost without EnergyHub: the same loads and the PV the inverters could produce (none
    /// curtailed), the battery on its own self-consumption (<see cref="WithoutEnergyHub"/>).
    /// </summary>
    public double WithoutCost { get; init; }
    /// <summary>The battery's state of charge in that day without EnergyHub, %; null until a battery was read today.</summary>
    public double? WithoutSocPct { get; init; }

    /// <summary>What EnergyHub's control saved today: <see cref="WithoutCost"/> less <see cref="NetCost"/> (negative: it cost).</summary>
    public double Saved => WithoutCost - NetCost;

    /// <summary>Import cost less feed-in revenue.</summary>
    public double NetCost => ImportCost - FeedInRevenue;

    /// <summary>EV energy from the grid.</summary>
    public double EvFromGridKwh => EvKwh - EvFromPvKwh;

    /// <summary>Share of the load not imported, %; null before any load.</summary>
    public double? SelfSufficiencyPct => LoadKwh > 0 ? Math.Clamp(100 * (1 - ImportKwh / LoadKwh), 0, 100) : null;

    /// <summary>
    /// Counts <paramref name="hours"/> of the day without EnergyHub: <paramref name="loadW"/> against
    /// <paramref name="pvAvailableW"/>, the difference first through <paramref name="battery"/> as its own self-consumption
    /// would take it (within its power, state of charge and losses, from the state of charge it had at the first reading
    /// of the day), the rest settled with the grid at the instant's prices. An unknown load adds nothing.
    /// </summary>
    public TodayEnergy WithoutEnergyHub(double hours, double? loadW, double? pvAvailableW, double? importPerKwh, double? feedInPerKwh,
        SelfConsumingBattery? battery)
    {
        if (loadW is not { } load || !double.IsFinite(load) || hours <= 0)
        {
            return this;
        }
        var net = Math.Max(0, load) - Math.Max(0, pvAvailableW ?? 0);
        var soc = WithoutSocPct ?? battery?.SocPct;
        var batteryW = 0.0;
        if (battery is { CapacityWh: > 0 } b && soc is { } now)
        {
            var eta = Math.Sqrt(Math.Clamp(b.EfficiencyPct, 1, 100) / 100);
            var roomWh = Math.Max(0, (b.MaxSocPct - now) / 100 * b.CapacityWh);
            var leftWh = Math.Max(0, (now - b.MinSocPct) / 100 * b.CapacityWh);
            batteryW = net < 0
                ? Math.Min(Math.Min(-net, b.MaxChargeW), roomWh / eta / hours)
                : -Math.Min(Math.Min(net, b.MaxDischargeW), leftWh * eta / hours);
            soc = now + (batteryW > 0 ? batteryW * eta : batteryW / eta) * hours / b.CapacityWh * 100;
        }
        var gridKwh = (net + batteryW) * hours / 1000;
        var price = gridKwh > 0 ? importPerKwh : feedInPerKwh;
        return this with { WithoutCost = WithoutCost + gridKwh * (price ?? 0), WithoutSocPct = soc };
    }

    /// <summary>
    /// Adds <paramref name="hours"/> at the powers of one instant (W, SDK signs: grid + import, battery + charging);
    /// an unknown flow adds nothing, an unknown price adds no money.
    /// </summary>
    public TodayEnergy Add(double hours, double? gridW, double? pvW, double? batteryW, double? loadW, double evW, double? importPerKwh, double? feedInPerKwh, string? currency)
    {
        double Kwh(double watts) => double.IsFinite(watts) ? watts * hours / 1000 : 0;
        var import = Kwh(Math.Max(0, gridW ?? 0));
        var export = Kwh(Math.Max(0, -(gridW ?? 0)));
        var pv = Kwh(Math.Max(0, pvW ?? 0));
        var ev = Kwh(Math.Max(0, evW));
        return this with
        {
            PvKwh = PvKwh + pv,
            SelfConsumedKwh = SelfConsumedKwh + Math.Max(0, pv - export),
            ExportKwh = ExportKwh + export,
            ImportKwh = ImportKwh + import,
            BatteryInKwh = BatteryInKwh + Kwh(Math.Max(0, batteryW ?? 0)),
            BatteryOutKwh = BatteryOutKwh + Kwh(Math.Max(0, -(batteryW ?? 0))),
            LoadKwh = LoadKwh + Kwh(Math.Max(0, loadW ?? 0)),
            EvKwh = EvKwh + ev,
            EvFromPvKwh = EvFromPvKwh + Math.Max(0, ev - import),
            ImportCost = ImportCost + import * (importPerKwh ?? 0),
            FeedInRevenue = FeedInRevenue + export * (feedInPerKwh ?? 0),
            Currency = currency ?? Currency,
        };
    }
}

/// <summary>A battery as its own self-consumption runs it, for the day without EnergyHub.</summary>
/// <param name="CapacityWh">Usable capacity.</param>
/// <param name="MaxChargeW">Most it charges.</param>
/// <param name="MaxDischargeW">Most it discharges.</param>
/// <param name="EfficiencyPct">Round trip.</param>
/// <param name="MinSocPct">Where its self-consumption stops discharging.</param>
/// <param name="MaxSocPct">Where it stops charging.</param>
/// <param name="SocPct">Its state of charge now (the start of the day without EnergyHub).</param>
public sealed record SelfConsumingBattery(double CapacityWh, double MaxChargeW, double MaxDischargeW, double EfficiencyPct, double MinSocPct, double MaxSocPct, double SocPct);
