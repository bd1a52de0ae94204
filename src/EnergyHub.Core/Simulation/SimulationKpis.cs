namespace EnergyHub.Core.Simulation;

/// <summary>Energy of one controlled consumer, split by where it came from.</summary>
/// <param name="Device">The consumer's device id.</param>
/// <param name="FromPvKwh">Covered by PV left over after the rest of the house.</param>
/// <param name="FromGridKwh">Covered by the grid or the battery.</param>
public sealed record ConsumerEnergy(string Device, double FromPvKwh, double FromGridKwh)
{
    /// <summary>Times it was switched on (off to on, as its readings show).</summary>
    public int SwitchCycles { get; init; }

    /// <summary>Times the allowance it follows changed.</summary>
    public int AllowanceChanges { get; init; }

    /// <summary>Times an EV charger's phases changed (1 to 3 or back), as its readings show.</summary>
    public int PhaseSwitches { get; init; }
}

/// <summary>What a simulated run achieved, in kWh and the price source's currency.</summary>
public sealed record SimulationKpis
{
    public double PvProducedKwh { get; init; }
    public double PvCurtailedKwh { get; init; }
    /// <summary>Curtailment no policy could avoid while export was costly: PV beyond the house and what the battery would take at that instant.</summary>
    public double UnavoidableCurtailmentKwh { get; init; }
    /// <summary>Curtailment beyond the unavoidable.</summary>
    public double UnnecessaryCurtailmentKwh => Math.Max(0, PvCurtailedKwh - UnavoidableCurtailmentKwh);
    public double GridImportKwh { get; init; }
    public double GridExportKwh { get; init; }
    /// <summary>Export during intervals whose feed-in price was below the threshold (exporting at a loss or for too little).</summary>
    public double ExportBelowThresholdKwh { get; init; }
    public double ImportCost { get; init; }
    public double FeedInRevenue { get; init; }
    public double NetCost => ImportCost - FeedInRevenue;
    public double SelfConsumptionPct { get; init; }
    public double BatteryThroughputKwh { get; init; }
    public double BatteryEquivalentCycles { get; init; }
    public IReadOnlyList<ConsumerEnergy> Consumers { get; init; } = [];
    public int CommandsSent { get; init; }
    /// <summary>Inverter limits (active power or export) written while the feed-in price was below the threshold.</summary>
    public int LimitWritesWhileCostly { get; init; }
    /// <summary>Hours the feed-in price was below the threshold.</summary>
    public double CostlyHours { get; init; }
    /// <summary><see cref="LimitWritesWhileCostly"/> per hour of costly export.</summary>
    public double LimitWritesPerCostlyHour => CostlyHours > 0 ? LimitWritesWhileCostly / CostlyHours : 0;
    public string Currency { get; init; } = "";
}

/// <summary>A whole run: its KPIs, the oracle's bound, and how fast it ran.</summary>
/// <param name="Name">The config's name.</param>
/// <param name="Kpis">What the run achieved.</param>
/// <param name="OracleNetCost">The best net cost possible on the same data at the run's end SOC (<see cref="Oracle"/>); null when not solved.</param>
/// <param name="NoControlNetCost">The same site without control: no battery, no curtailment, the same loads.</param>
/// <param name="StartSocPct">The battery's state of charge at the start, %, when there is a battery.</param>
/// <param name="EndSocPct">Where the run left it, %: the oracle ends at least as full.</param>
/// <param name="Steps">Simulation steps.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
public sealed record SimulationResult(
    string Name,
    SimulationKpis Kpis,
    double? OracleNetCost,
    double NoControlNetCost,
    double? StartSocPct,
    double? EndSocPct,
    long Steps,
    TimeSpan Elapsed)
{
    public double StepsPerSecond => Steps / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>Net cost above the best possible (never below 0 unless the oracle is wrong).</summary>
    public double? Regret => Kpis.NetCost - OracleNetCost;

    /// <summary>What the best possible saves against no control.</summary>
    public double? AchievableSaving => NoControlNetCost - OracleNetCost;

    /// <summary>The regret as a share of the achievable saving, %; null when there is nothing to save.</summary>
    public double? RegretPctOfSaving => AchievableSaving is > 1e-6 && Regret is { } regret ? regret / AchievableSaving.Value * 100 : null;
}
