using Google.OrTools.LinearSolver;

namespace EnergyHub.Core.Simulation;

/// <summary>The battery an oracle may use.</summary>
/// <param name="CapacityWh">Usable capacity.</param>
/// <param name="MaxChargeW">Most AC power into the battery.</param>
/// <param name="MaxDischargeW">Most AC power out of it.</param>
/// <param name="EfficiencyPct">Round trip, split evenly between charge and discharge.</param>
/// <param name="MinSocPct">Lowest allowed state of charge.</param>
/// <param name="MaxSocPct">Highest allowed state of charge.</param>
/// <param name="StartSocPct">State of charge at the start.</param>
/// <param name="EndSocPct">The oracle must end at least this full: the run's own end, so the bound is not bought by emptying the battery.</param>
public sealed record OracleBattery(double CapacityWh, double MaxChargeW, double MaxDischargeW, double EfficiencyPct, double MinSocPct, double MaxSocPct,
    double StartSocPct, double EndSocPct);

/// <summary>One bucket of the oracle's best schedule, as mean powers (W) over the bucket.</summary>
/// <param name="Start">The bucket's start.</param>
/// <param name="PvW">PV used (what is not curtailed).</param>
/// <param name="GridW">Grid (+ import, − export).</param>
/// <param name="ControlledW">What the controlled consumers draw.</param>
/// <param name="SocPct">The battery's state of charge at the bucket's end (NaN without one).</param>
/// <param name="ImportPerKwh">The bucket's import price.</param>
/// <param name="FeedInPerKwh">Its feed-in price.</param>
public readonly record struct OracleStep(DateTimeOffset Start, double PvW, double GridW, double ControlledW, double SocPct, double ImportPerKwh, double FeedInPerKwh)
{
    /// <summary>The CSV header matching <see cref="ToCsv"/>.</summary>
    public const string CsvHeader = "time_utc,pv_w,grid_w,controlled_w,soc_pct,import_per_kwh,feed_in_per_kwh";

    /// <summary>One CSV line.</summary>
    public string ToCsv() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Start:yyyy-MM-ddTHH:mm:ssZ},{PvW:0.#},{GridW:0.#},{ControlledW:0.#},{SocPct:0.##},{ImportPerKwh:0.#####},{FeedInPerKwh:0.#####}");
}

/// <summary>A controlled consumer the oracle schedules: the energy it drew in the run, at up to the most it ever drew.</summary>
/// <param name="Id">Its device id.</param>
/// <param name="MaxW">The most it drew at any instant of the run, W.</param>
public sealed record OracleConsumer(string Id, double MaxW);

/// <summary>
/// The lowest net cost physically possible for a run's data with perfect foresight, as a linear programme (GLOP, from
/// Google OR-Tools) over the run's buckets: the house's own load as it was; PV up to what the inverters could have
/// produced (curtailment is free); the battery within its power and SOC limits with its efficiency, from the run's start
/// SOC to at least the run's end SOC; each controlled consumer given, each day, the energy it drew that day in the run, at
/// any time of that day it could draw (an EV while plugged in) at up to the most it drew. The run's own flows are one solution of this programme, so
/// no run can beat it: prices are constant within a bucket, and per bucket the cost is convex in the net flow, so
/// averaging within a bucket never costs more than the run paid.
/// </summary>
public static class Oracle
{
    // The dual simplex with perturbed costs: a year's programme (35 040 quarter-hours, 280 k variables) in 7.7 s instead
    // of 25.3 s with GLOP's default primal simplex, to the same optimum (docs/performance.md).
    private const string SolverParameters = "use_dual_simplex:true perturb_costs_in_dual_simplex:true";

    /// <summary>
    /// The best net cost; null when the solver finds no solution (it then says why in <paramref name="problem"/>). Each
    /// consumer gets, each local day of <paramref name="zone"/> (UTC when null), the energy it drew that day: a car or a
    /// tank needs its energy by the day it is used, and a year's budget would let the oracle charge in June for January.
    /// With <paramref name="schedule"/>, the best schedule is added to it, bucket by bucket.
    /// </summary>
    public static double? MinimumNetCost(IReadOnlyList<OracleBucket> buckets, OracleBattery? battery, IReadOnlyList<OracleConsumer> consumers,
        out string? problem, TimeZoneInfo? zone = null, ICollection<OracleStep>? schedule = null)
    {
        problem = null;
        if (buckets.Count == 0)
        {
            return 0;
        }
        using var solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools' GLOP solver is not available on this machine.");
        var objective = solver.Objective();
        objective.SetMinimization();
        var store = battery is { CapacityWh: > 0 } ? battery : null;
        var efficiency = Math.Sqrt((store?.EfficiencyPct ?? 100) / 100);
        double Wh(double pct) => (store?.CapacityWh ?? 0) * pct / 100;
        var (minWh, maxWh) = (Wh(store?.MinSocPct ?? 0), Wh(store?.MaxSocPct ?? 0));
        var startWh = Math.Clamp(Wh(store?.StartSocPct ?? 0), minWh, maxWh);
        var endWh = Math.Clamp(Wh(store?.EndSocPct ?? 0), minWh, maxWh);

        var dayOf = buckets.Select(b => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(b.Start, zone ?? TimeZoneInfo.Utc).DateTime)).ToArray();
        var energy = new Dictionary<(string Id, DateOnly Day), Constraint>();
        foreach (var (day, bucketsOfDay) in buckets.Select((b, t) => (b, t)).GroupBy(x => dayOf[x.t], x => x.b).Select(g => (g.Key, g.ToList())))
        {
            foreach (var consumer in consumers)
            {
                var drawnWh = bucketsOfDay.Sum(b => b.Consumers.GetValueOrDefault(consumer.Id).DrawnWh);
                energy[(consumer.Id, day)] = solver.MakeConstraint(drawnWh, drawnWh, $"energy_{consumer.Id}_{day:yyyyMMdd}");
            }
        }
        Variable? stored = null;
        var perBucket = new (Variable Pv, Variable Import, Variable Export, List<Variable> Draws, Variable? Stored)[buckets.Count];
        for (var t = 0; t < buckets.Count; t++)
        {
            var b = buckets[t];
            var consumerCapWh = 0.0;
            var draws = new List<Variable>(consumers.Count);
            var balance = solver.MakeConstraint(b.HouseLoadWh, b.HouseLoadWh, $"balance_{t}");
            foreach (var consumer in consumers)
            {
                var capWh = consumer.MaxW * b.Consumers.GetValueOrDefault(consumer.Id).AvailableHours;
                consumerCapWh += capWh;
                var draw = solver.MakeNumVar(0, capWh, $"draw_{consumer.Id}_{t}");
                draws.Add(draw);
                balance.SetCoefficient(draw, -1);
                energy[(consumer.Id, dayOf[t])].SetCoefficient(draw, 1);
            }
            var pv = solver.MakeNumVar(0, Math.Max(0, b.PvAvailableWh), $"pv_{t}");
            var chargeCapWh = (store?.MaxChargeW ?? 0) * b.Hours;
            var dischargeCapWh = (store?.MaxDischargeW ?? 0) * b.Hours;
            // A site exports at most what it produces and imports at most what it can take: this bounds the programme even
            // where the import price falls below the feed-in price.
            var import = solver.MakeNumVar(0, b.HouseLoadWh + consumerCapWh + chargeCapWh + 1, $"import_{t}");
            var export = solver.MakeNumVar(0, Math.Max(0, b.PvAvailableWh) + dischargeCapWh + 1, $"export_{t}");
            balance.SetCoefficient(pv, 1);
            balance.SetCoefficient(import, 1);
            balance.SetCoefficient(export, -1);
            objective.SetCoefficient(import, b.ImportPerKwh / 1000);
            objective.SetCoefficient(export, -b.FeedInPerKwh / 1000);
            perBucket[t] = (pv, import, export, draws, null);
            if (store is null)
            {
                continue;
            }
            var charge = solver.MakeNumVar(0, chargeCapWh, $"charge_{t}");
            var discharge = solver.MakeNumVar(0, dischargeCapWh, $"discharge_{t}");
            balance.SetCoefficient(charge, -1);
            balance.SetCoefficient(discharge, 1);
            stored = Planning.StoredEnergy.After(solver, stored, startWh, minWh, maxWh, charge, discharge, efficiency, t);
            perBucket[t].Stored = stored;
        }
        if (stored is not null)
        {
            stored.SetLb(endWh);
        }
        if (!solver.SetSolverSpecificParametersAsString(SolverParameters))
        {
            throw new InvalidOperationException($"OR-Tools' GLOP refused the parameters '{SolverParameters}'.");
        }
        var status = solver.Solve();
        if (status != Solver.ResultStatus.OPTIMAL)
        {
            problem = $"the solver ended {status}";
            return null;
        }
        if (schedule is not null)
        {
            for (var t = 0; t < buckets.Count; t++)
            {
                var (b, v) = (buckets[t], perBucket[t]);
                var hours = Math.Max(b.Hours, 1e-9);
                schedule.Add(new OracleStep(b.Start, v.Pv.SolutionValue() / hours, (v.Import.SolutionValue() - v.Export.SolutionValue()) / hours,
                    v.Draws.Sum(d => d.SolutionValue()) / hours, v.Stored is null ? double.NaN : v.Stored.SolutionValue() / store!.CapacityWh * 100,
                    b.ImportPerKwh, b.FeedInPerKwh));
            }
        }
        return objective.Value();
    }

    /// <summary>
    /// The same site without any control, the reference for what control can save: no battery, no curtailment (export
    /// whatever the price), the house and the consumers as they drew.
    /// </summary>
    public static double NoControlNetCost(IReadOnlyList<OracleBucket> buckets) => buckets.Sum(b =>
    {
        var netWh = b.HouseLoadWh + b.Consumers.Values.Sum(c => c.DrawnWh) - b.PvAvailableWh;
        return netWh >= 0 ? netWh / 1000 * b.ImportPerKwh : netWh / 1000 * b.FeedInPerKwh;
    });
}
