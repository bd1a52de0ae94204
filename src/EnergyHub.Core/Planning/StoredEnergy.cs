using Google.OrTools.LinearSolver;

namespace EnergyHub.Core.Planning;

/// <summary>
/// A battery's stored energy in a linear programme, one variable per step: stored(t) = stored(t−1) + η·charge(t) −
/// discharge(t)/η, from <c>start</c> before the first step. The site planner and the replay's best possible both use it,
/// so the two cannot disagree on what a charge is worth.
/// </summary>
public static class StoredEnergy
{
    /// <summary>The stored energy after step <paramref name="t"/>, bounded by <paramref name="floor"/> and <paramref name="ceiling"/>.</summary>
    /// <param name="solver">The programme.</param>
    /// <param name="before">The stored energy after the step before; null for the first step.</param>
    /// <param name="start">What is stored before the first step (in the programme's unit: Wh or kWh).</param>
    /// <param name="floor">The least it may hold.</param>
    /// <param name="ceiling">The most it may hold.</param>
    /// <param name="charge">What goes in during the step, on the AC side.</param>
    /// <param name="discharge">What comes out during the step, on the AC side.</param>
    /// <param name="efficiency">One way's efficiency η (the square root of the round trip's).</param>
    /// <param name="t">The step, for the names.</param>
    public static Variable After(Solver solver, Variable? before, double start, double floor, double ceiling, Variable charge, Variable discharge, double efficiency, int t)
    {
        var next = solver.MakeNumVar(floor, ceiling, $"stored_{t}");
        var soc = solver.MakeConstraint(before is null ? start : 0, before is null ? start : 0, $"soc_{t}");
        soc.SetCoefficient(next, 1);
        soc.SetCoefficient(charge, -efficiency);
        soc.SetCoefficient(discharge, 1 / efficiency);
        if (before is not null)
        {
            soc.SetCoefficient(before, -1);
        }
        return next;
    }
}
