using EnergyHub.Commands;
using EnergyHub.Devices;

namespace EnergyHub.Services.EvCharging;

/// <summary>
/// es-ESS's NoBatToEV for <see cref="EvChargingOptions.HoldBatteryWhileCharging"/>: the home battery in <c>Hold</c>
/// while any charger draws (one last seen drawing counts: it may go on by itself), in <c>Auto</c> otherwise. The mode
/// is sent when the wish changes and until the battery confirms it; every change is a decision with its reason.
/// </summary>
public sealed class BatteryForEv(string battery)
{
    /// <summary>A charger drawing more than this is charging a car.</summary>
    public const double DrawingW = 100;

    private bool? _held;

    /// <summary>Holds or releases the battery for <paramref name="chargers"/> as they stand.</summary>
    public async Task ApplyAsync(ServiceTick tick, IReadOnlyList<EvStatus> chargers, CancellationToken cancellationToken)
    {
        if (battery.Length == 0)
        {
            return;
        }
        var drawing = chargers.Where(c => c.PowerW > DrawingW).Select(c => c.Charger).ToList();
        var hold = drawing.Count > 0;
        if (_held == hold)
        {
            return;
        }
        var why = hold
            ? $"the car charges ({string.Join(", ", drawing)}): {battery} is held (it stores PV, it does not discharge), so the car draws from PV and the grid, never from the home battery"
            : $"no car charges: {battery} is back to its own self-consumption";
        var result = await tick.Commands.SendAsync(new SetBatteryMode(battery, hold ? BatteryMode.Hold : BatteryMode.Auto, null, null, why), cancellationToken)
            .ConfigureAwait(false);
        tick.Decisions.Record(new BatteryForEvDecision(hold, battery, why, drawing, result.Status.ToString(), result.Detail));
        _held = result.IsInEffect ? hold : null;
    }

    /// <summary>Releases the battery to self-consumption; null when it confirmed (or there is none), else why not.</summary>
    public async Task<string?> StopAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        if (battery.Length == 0)
        {
            return null;
        }
        _held = null;
        var result = await tick.Commands.SendAsync(new SetBatteryMode(battery, BatteryMode.Auto, null, null, "EnergyHub stops: the battery's own self-consumption")
            { IsSafety = true }, cancellationToken).ConfigureAwait(false);
        return result.IsInEffect ? null : $"{battery}: the battery did not confirm self-consumption ({result.Status}: {result.Detail})";
    }
}
