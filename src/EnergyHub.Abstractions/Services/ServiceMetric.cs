namespace EnergyHub.Services;

/// <summary>
/// One number a service exports on <c>/metrics</c>: a gauge (the value now) or a counter (a total that only grows).
/// The core names it <c>energyhub_{Name}</c>; a name ends in its unit as Prometheus has it (<c>_watts</c>,
/// <c>_watt_hours_total</c>).
/// </summary>
/// <param name="Name">The name after <c>energyhub_</c>, e.g. <c>ev_power_watts</c>.</param>
/// <param name="Help">One sentence: what it counts, with its sign.</param>
/// <param name="Value">The value now.</param>
/// <param name="Labels">Label names and values, the same names every time for one <paramref name="Name"/>.</param>
/// <param name="IsCounter">True for a total that only grows (its name ends in <c>_total</c>).</param>
public sealed record ServiceMetric(string Name, string Help, double Value, IReadOnlyList<KeyValuePair<string, string>> Labels, bool IsCounter = false);

/// <summary>A service that exports <see cref="ServiceMetric"/>s; read before every scrape, from another thread than its ticks.</summary>
public interface IHasMetrics
{
    /// <summary>The metrics as they are now.</summary>
    IReadOnlyList<ServiceMetric> Metrics();
}
