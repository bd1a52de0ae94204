namespace EnergyHub.Services.BatteryScheduler;

/// <summary>Percentiles as numpy's default (<c>method='linear'</c>): the value at rank p/100 × (n − 1), interpolated between neighbours.</summary>
public static class Percentile
{
    /// <summary>The <paramref name="p"/>th percentile of <paramref name="values"/> (0–100).</summary>
    /// <exception cref="ArgumentException">No values, or p outside 0–100.</exception>
    public static double Of(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0 || p is < 0 or > 100 || double.IsNaN(p))
        {
            throw new ArgumentException($"a percentile needs values and p from 0 to 100 (p = {p}, {sorted.Length} values)");
        }
        var rank = p / 100 * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
    }
}
