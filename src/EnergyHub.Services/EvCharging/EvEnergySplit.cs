using EnergyHub.Readings;

namespace EnergyHub.Services.EvCharging;

/// <summary>Energy charged into the car, Wh, split by where it came from: the grid, or not (PV, or the home battery when the car comes first).</summary>
/// <param name="SessionPvWh">This session (since the car was plugged in), not from the grid.</param>
/// <param name="SessionGridWh">This session, from the grid.</param>
/// <param name="TotalPvWh">Ever, not from the grid.</param>
/// <param name="TotalGridWh">Ever, from the grid.</param>
public sealed record EvEnergy(double SessionPvWh, double SessionGridWh, double TotalPvWh, double TotalGridWh)
{
    /// <summary>Nothing charged.</summary>
    public static EvEnergy Zero { get; } = new(0, 0, 0, 0);
}

/// <summary>
/// Counts what the charger delivers and splits it (pv-control PVC-18): the share from the grid is the grid's import,
/// up to what the charger draws, at the same instant. The charger's session counter gives the energy where it has one
/// (a drop of more than 1 Wh is a new session); otherwise its power over time, not across a gap longer than
/// <paramref name="maxGap"/>. pv-control split by the meter's 5-minute energy steps; this splits every cycle.
/// </summary>
public sealed class EvEnergySplit(TimeSpan maxGap)
{
    private double? _lastCounterWh;
    private (DateTimeOffset At, double W)? _last;
    private bool _unplugged;

    /// <summary>The energy so far.</summary>
    public EvEnergy Energy { get; private set; } = EvEnergy.Zero;

    /// <summary>Continues from kept totals (after a restart).</summary>
    public void Restore(EvEnergy kept) => Energy = kept;

    /// <summary>Counts one reading: the car's state, what the charger delivers (W) and counts (Wh), and the grid (+ import; null unknown).</summary>
    public void Add(DateTimeOffset now, EvCarState car, double chargerW, double? sessionCounterWh, double? gridW)
    {
        if (car == EvCarState.Disconnected)
        {
            _unplugged = true;
        }
        else if (_unplugged)
        {
            _unplugged = false;
            Energy = Energy with { SessionPvWh = 0, SessionGridWh = 0 };
        }
        double added;
        if (sessionCounterWh is { } counter)
        {
            added = _lastCounterWh is not { } before ? 0 : counter < before - 1 ? counter : Math.Max(0, counter - before);
            if (_lastCounterWh is { } previous && counter < previous - 1)
            {
                Energy = Energy with { SessionPvWh = 0, SessionGridWh = 0 };
            }
            _lastCounterWh = counter;
        }
        else
        {
            added = _last is { } last && now > last.At && now - last.At <= maxGap
                ? (Math.Max(0, last.W) + Math.Max(0, chargerW)) / 2 * (now - last.At).TotalHours
                : 0;
        }
        _last = (now, chargerW);
        if (added <= 0)
        {
            return;
        }
        // An unknown grid counts as grid: the split never claims PV it cannot show.
        var gridShare = chargerW > 0 ? Math.Clamp((gridW ?? chargerW) / chargerW, 0, 1) : gridW is null or > 0 ? 1 : 0;
        var grid = added * gridShare;
        var pv = added - grid;
        Energy = new EvEnergy(Energy.SessionPvWh + pv, Energy.SessionGridWh + grid, Energy.TotalPvWh + pv, Energy.TotalGridWh + grid);
    }
}
