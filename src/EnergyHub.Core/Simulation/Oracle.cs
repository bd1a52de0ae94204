namespace EnergyHub.Core.Simulation;

/// <summary>A quarter hour of what the site offered: PV that could have been produced, load, and prices.</summary>
public sealed class OracleBucket(DateTimeOffset start)
{
    public DateTimeOffset Start { get; } = start;
    public double PvAvailableWh { get; private set; }
    public double LoadWh { get; private set; }
    public double Hours { get; private set; }
    private double _importPriceHours;
    private double _feedInPriceHours;

    public double ImportPerKwh => Hours > 0 ? _importPriceHours / Hours : 0;
    public double FeedInPerKwh => Hours > 0 ? _feedInPriceHours / Hours : 0;

    public void Add(double pvAvailableW, double loadW, double importPerKwh, double feedInPerKwh, double hours)
    {
        PvAvailableWh += pvAvailableW * hours;
        LoadWh += loadW * hours;
        _importPriceHours += importPerKwh * hours;
        _feedInPriceHours += feedInPerKwh * hours;
        Hours += hours;
    }
}

/// <summary>The battery an oracle may use.</summary>
/// <param name="CapacityWh">Usable capacity.</param>
/// <param name="MaxChargeW">Most AC power into the battery.</param>
/// <param name="MaxDischargeW">Most AC power out of it.</param>
/// <param name="EfficiencyPct">Round trip, split evenly between charge and discharge.</param>
/// <param name="MinSocPct">Lowest allowed state of charge.</param>
/// <param name="MaxSocPct">Highest allowed state of charge.</param>
/// <param name="StartSocPct">State of charge at the start; the oracle must end no lower.</param>
public sealed record OracleBattery(double CapacityWh, double MaxChargeW, double MaxDischargeW, double EfficiencyPct, double MinSocPct, double MaxSocPct, double StartSocPct);

/// <summary>
/// The lowest net cost physically possible for a run's data with perfect foresight: dynamic programming over the
/// battery's state of charge (in <see cref="Levels"/> steps) per quarter hour, with PV curtailment free to use (so
/// nobody has to export at a negative price) and the load as it was. The battery must end at least as full as it
/// started, so the bound is not bought by emptying it.
/// </summary>
public static class Oracle
{
    /// <summary>State-of-charge levels of the grid between the limits.</summary>
    public const int Levels = 41;

    public static double MinimumNetCost(IReadOnlyList<OracleBucket> buckets, OracleBattery? battery)
    {
        if (battery is null || battery.CapacityWh <= 0)
        {
            return buckets.Sum(b => Cost(b, 0));
        }
        var minWh = battery.CapacityWh * battery.MinSocPct / 100;
        var maxWh = battery.CapacityWh * battery.MaxSocPct / 100;
        var levelWh = (maxWh - minWh) / (Levels - 1);
        var efficiency = Math.Sqrt(battery.EfficiencyPct / 100);
        var start = (int)Math.Round((Math.Clamp(battery.CapacityWh * battery.StartSocPct / 100, minWh, maxWh) - minWh) / levelWh);

        var cost = Enumerable.Repeat(double.PositiveInfinity, Levels).ToArray();
        cost[start] = 0;
        var next = new double[Levels];
        foreach (var bucket in buckets)
        {
            Array.Fill(next, double.PositiveInfinity);
            var maxInWh = battery.MaxChargeW * bucket.Hours;
            var maxOutWh = battery.MaxDischargeW * bucket.Hours;
            for (var from = 0; from < Levels; from++)
            {
                if (double.IsPositiveInfinity(cost[from]))
                {
                    continue;
                }
                for (var to = 0; to < Levels; to++)
                {
                    var storedWh = (to - from) * levelWh;
                    var acWh = storedWh >= 0 ? storedWh / efficiency : storedWh * efficiency;
                    if (acWh > maxInWh + 1e-9 || -acWh > maxOutWh + 1e-9)
                    {
                        continue;
                    }
                    var total = cost[from] + Cost(bucket, acWh);
                    if (total < next[to])
                    {
                        next[to] = total;
                    }
                }
            }
            (cost, next) = (next, cost);
        }
        return cost.Skip(start).Min();
    }

    // Cost of one bucket when the battery takes acWh (+) or gives it (−); PV is curtailed whenever export would cost money.
    private static double Cost(OracleBucket bucket, double acWh)
    {
        var netWh = bucket.LoadWh + acWh - bucket.PvAvailableWh;
        if (netWh >= 0)
        {
            return netWh / 1000 * bucket.ImportPerKwh;
        }
        var exportKwh = -netWh / 1000;
        if (bucket.FeedInPerKwh < 0)
        {
            exportKwh = Math.Max(0, exportKwh - bucket.PvAvailableWh / 1000);
        }
        return -exportKwh * bucket.FeedInPerKwh;
    }
}
