using EnergyHub.Commands;
using EnergyHub.Devices;

namespace EnergyHub.Core.Devices;

/// <summary>What became of one device's safe state.</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="Driver">Its driver.</param>
/// <param name="SafeState">Its <see cref="ISafeState.SafeStateDescription"/>, or null for a device without one (read-only, or only read as configured).</param>
/// <param name="Confirmed">The device confirmed the safe state (always true for a device without one).</param>
/// <param name="Attempts">Writes tried.</param>
/// <param name="Error">The last failure, when not confirmed.</param>
public sealed record SafeStateOutcome(string DeviceId, string Driver, string? SafeState, bool Confirmed, int Attempts, string? Error);

/// <summary>
/// Writes every device's safe state (<see cref="ISafeState"/>) through the command gate, all devices at once, each
/// retried (<see cref="SafeStateRetry"/>) until it is confirmed or the budget ends. Used by <c>energyhub safe-state</c>, which the systemd
/// unit runs after the daemon stopped, however it stopped.
/// </summary>
public static class SafeStateWriter
{
    /// <summary>Applies every safe state; <paramref name="reported"/> hears each device's outcome as it is known.</summary>
    public static async Task<IReadOnlyList<SafeStateOutcome>> ApplyAllAsync(DeviceRegistry devices, ICommandGate gate, TimeProvider time, TimeSpan budget,
        Action<SafeStateOutcome>? reported, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var outcomes = await Task.WhenAll(devices.Sessions.Select(async session =>
        {
            // A device that could have a safe state but, as configured, controls nothing (a read-only AlphaESS) has none to restore.
            var outcome = session.Device is ISafeState safe && Abilities.Has(safe, typeof(ISafeState))
                ? await ApplyAsync(session, safe, gate, time, linked.Token).ConfigureAwait(false)
                : new SafeStateOutcome(session.Id, session.Driver, null, true, 0, null);
            reported?.Invoke(outcome);
            return outcome;
        })).ConfigureAwait(false);
        return outcomes;
    }

    private static async Task<SafeStateOutcome> ApplyAsync(DeviceSession session, ISafeState device, ICommandGate gate, TimeProvider time, CancellationToken cancellationToken)
    {
        string? error = null;
        var command = new EnterSafeState(session.Id, $"safe state: {device.SafeStateDescription}") { IsSafety = true, Reassert = true };
        var (confirmed, attempts) = await SafeStateRetry.UntilConfirmedAsync(async _ =>
        {
            var result = await gate.SendAsync(command, cancellationToken).ConfigureAwait(false);
            error = result.Detail;
            return result.IsInEffect;
        }, time, cancellationToken).ConfigureAwait(false);
        return new SafeStateOutcome(session.Id, session.Driver, device.SafeStateDescription, confirmed, attempts,
            confirmed ? null : error ?? "no time was left to try");
    }
}
