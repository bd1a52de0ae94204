namespace EnergyHub.Services.BatteryScheduler;

/// <summary>One slot of the price horizon with what is expected in it.</summary>
/// <param name="Start">Its start.</param>
/// <param name="Length">Its length (15 min for PSE, 5 or 30 min for Amber, 1 h for a price file).</param>
/// <param name="ImportPerKwh">What a kWh from the grid costs, final (tariff included).</param>
/// <param name="FeedInPerKwh">What a kWh to the grid earns (negative: exporting costs).</param>
/// <param name="PvKwh">PV expected in the slot, kWh.</param>
/// <param name="LoadKwh">House load expected in the slot, kWh.</param>
public sealed record PlanSlot(DateTimeOffset Start, TimeSpan Length, double ImportPerKwh, double FeedInPerKwh, double PvKwh, double LoadKwh)
{
    /// <summary>Its end.</summary>
    public DateTimeOffset End => Start + Length;
}

/// <summary>The battery as the planner sees it.</summary>
/// <param name="CapacityKwh">Usable capacity, kWh.</param>
/// <param name="MaxChargeKw">Most it charges with (AC), kW.</param>
/// <param name="MaxDischargeKw">Most it discharges with (AC), kW.</param>
/// <param name="RoundTripEfficiencyPct">What comes out of what went in, %; split evenly between charging and discharging.</param>
/// <param name="ReserveSocPct">Never planned below this (a start below it may only rise).</param>
/// <param name="MaxSocPct">Never planned above this.</param>
/// <param name="CycleCostPerKwh">Wear per kWh that goes in and comes out again (half on each way).</param>
/// <param name="DischargesToGrid">Whether it can be told to discharge beyond the house's need (AlphaESS cannot).</param>
public sealed record BatterySpec(double CapacityKwh, double MaxChargeKw, double MaxDischargeKw, double RoundTripEfficiencyPct = 90,
    double ReserveSocPct = 10, double MaxSocPct = 100, double CycleCostPerKwh = 0, bool DischargesToGrid = true)
{
    /// <summary>Efficiency of one way (charging, or discharging).</summary>
    public double OneWayEfficiency => Math.Sqrt(RoundTripEfficiencyPct / 100);
}

/// <summary>A state of charge the battery must have by a time (<c>TargetSocAt = 07:00 80</c>).</summary>
/// <param name="At">The time.</param>
/// <param name="SocPct">The least state of charge then, %.</param>
public sealed record SocTarget(DateTimeOffset At, double SocPct);

/// <summary>What the planner may do besides the battery's own limits.</summary>
/// <param name="GridImportCapKw">The most the site may import, kW; null = no cap.</param>
/// <param name="Target">A state of charge required by a time; null = none.</param>
/// <param name="SocStepPct">The grid of states of charge the plan moves on, %.</param>
public sealed record PlannerLimits(double? GridImportCapKw = null, SocTarget? Target = null, double SocStepPct = 1);
