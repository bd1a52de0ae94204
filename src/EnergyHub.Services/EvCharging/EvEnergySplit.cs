using EnergyHub.Readings;

namespace EnergyHub.Services.EvCharging;

/// <summary>Energy charged into the car, Wh, split by where it came from: the grid, or not (PV, or the home battery when the car comes first).</summary>
/// <param name="SessionPvWh">This session (since the car was plugged in), not from the grid.</param>
/// <param name="SessionGridWh">This session, from the grid.</param>
/// <param name="TotalPvWh">Ever, not from the grid.</param>
/// <param name="TotalGridWh">Ever, from the grid.</param>
public sealed record EvEnergy(double SessionPvWh, double SessionGridWh, double TotalPvWh, double TotalGridWh)
{
    /// <summary>How long the car charged in this session, s (es-ESS's charging time; the time it drew power, not the time plugged in).</summary>
    public double SessionChargingS { get; init; }

    /// <summary>Nothing charged.</summary>
    public static EvEnergy Zero { get; } = new(0, 0, 0, 0);
}

/// <summary>
/// Counts what the charger delivers and splits it (pv-control PVC-18): the share from the grid is the grid's import,
/// up to what the charger draws, at the same instant. The charger's session counter gives the energy where it has one
/// (a drop of more than 1 Wh is a new session); otherwise its power over time, not across a gap longer than
/// <paramref name="maxGap"/>. pv-control split by the meter's 5-minute energy steps; this splits every cycle. A session
/// ends when the car is plugged in again, or already when it is unplugged (<paramref name="resetOnDisconnect"/>: es-ESS's
/// choice), or when the charger's counter drops; its charging time counts the time between readings it drew power in.
/// </summary>
public sealed class EvEnergySplit(TimeSpan maxGap, bool resetOnDisconnect = false)
{
    private double? _lastCounterWh;
    private (DateTimeOffset At, double W)? _last;
    private bool _unplugged;

    /// <summary>The energy so far.</summary>
    public EvEnergy Energy { get; private set; } = EvEnergy.Zero;

    /// <summary>Continues from kept totals (after a restart).</summary>
    public void Restore(EvEnergy kept) => Energy = kept;

    private void NewSession() => Energy = Energy with { SessionPvWh = 0, SessionGridWh = 0, SessionChargingS = 0 };

    /// <summary>Counts one reading: the car's state, what the charger delivers (W) and counts (Wh), and the grid (+ import; null unknown).</summary>
    public void Add(DateTimeOffset now, EvCarState car, double chargerW, double? sessionCounterWh, double? gridW)
    {
        // The time since the last reading belongs to the session that reading was in.
        if (_last is { W: > 0 } charging && now > charging.At && now - charging.At <= maxGap)
        {
            Energy = Energy with { SessionChargingS = Energy.SessionChargingS + (now - charging.At).TotalSeconds };
        }
        if (car != EvCarState.Disconnected && _unplugged)
        {
            _unplugged = false;
            NewSession();
        }
        double added;
        if (sessionCounterWh is { } counter)
        {
            added = _lastCounterWh is not { } before ? 0 : counter < before - 1 ? counter : Math.Max(0, counter - before);
            if (_lastCounterWh is { } previous && counter < previous - 1)
            {
                NewSession();
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
        if (added > 0)
        {
            // An unknown grid counts as grid: the split never claims PV it cannot show.
            var gridShare = chargerW > 0 ? Math.Clamp((gridW ?? chargerW) / chargerW, 0, 1) : gridW is null or > 0 ? 1 : 0;
            var grid = added * gridShare;
            var pv = added - grid;
            Energy = Energy with
            {
                SessionPvWh = Energy.SessionPvWh + pv, SessionGridWh = Energy.SessionGridWh + grid,
                TotalPvWh = Energy.TotalPvWh + pv, TotalGridWh = Energy.TotalGridWh + grid,
            };
        }
        if (car == EvCarState.Disconnected)
        {
            if (!_unplugged && resetOnDisconnect)
            {
                NewSession();
            }
            _unplugged = true;
        }
    }
}
