using EnergyHub.Commands;
using EnergyHub.Core.Devices;

namespace EnergyHub.Core.Commands;

/// <summary>
/// The <see cref="ICommandGate"/> of the running site. Per device and command kind it remembers the last value the
/// device acknowledged: an unchanged value is not re-sent until <see cref="Options.DeviceOptions.CommandReassertAfter"/>,
/// and a new attempt within <see cref="Options.DeviceOptions.CommandMinInterval"/> of the last is refused unless it is a
/// safety command; a re-assertion (the device was read back holding another value) is sent even when unchanged. Commands run in the device's <see cref="DeviceSession"/>, so they never overlap a read.
/// </summary>
public sealed class CommandGate(DeviceRegistry devices, TimeProvider time, CommandAuditLog audit) : ICommandGate
{
    private const double Tolerance = 1e-9;

    private readonly Dictionary<(string Device, string Command), Memory> _memory = new();

    public async Task<CommandResult> SendAsync<TDevice>(
        CommandRequest request, Func<TDevice, CancellationToken, Task> apply, CancellationToken cancellationToken)
        where TDevice : class
    {
        CommandResult result;
        if (!devices.TryGet(request.DeviceId, out var session))
        {
            result = new CommandResult(CommandStatus.UnknownDevice, $"no device '{request.DeviceId}' is configured");
        }
        else if (session.Device is not TDevice target)
        {
            result = new CommandResult(CommandStatus.Unsupported,
                $"device '{request.DeviceId}' (driver {session.Driver}) does not implement {typeof(TDevice).Name}");
        }
        else
        {
            try
            {
                result = await session.RunAsync((_, ct) => DecideAndSendAsync(session, request, target, apply, ct), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (TimeoutException ex)
            {
                Forget(request, time.GetUtcNow());
                result = new CommandResult(CommandStatus.Failed, ex.Message);
            }
        }
        audit.Record(new CommandAuditEntry(time.GetUtcNow(), request, result));
        return result;
    }

    private async Task<CommandResult> DecideAndSendAsync<TDevice>(
        DeviceSession session, CommandRequest request, TDevice target, Func<TDevice, CancellationToken, Task> apply, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var key = (session.Id.ToLowerInvariant(), request.Command);
        Memory? last;
        lock (_memory)
        {
            _memory.TryGetValue(key, out last);
        }
        if (!request.Reassert && last is { AcknowledgedValue: { } held } && Math.Abs(held - request.Value) < Tolerance
            && now - last.AttemptedAt < session.Options.CommandReassertAfter)
        {
            return new CommandResult(CommandStatus.Unchanged, $"device already holds {held}");
        }
        if (last is not null && !request.IsSafety && now - last.AttemptedAt < session.Options.CommandMinInterval)
        {
            var wait = session.Options.CommandMinInterval - (now - last.AttemptedAt);
            return new CommandResult(CommandStatus.RateLimited, $"last {request.Command} was {(now - last.AttemptedAt).TotalSeconds:0.#} s ago; next allowed in {wait.TotalSeconds:0.#} s");
        }

        try
        {
            await apply(target, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Forget(request, now);
            return new CommandResult(CommandStatus.Failed, ex is NotSupportedException
                ? $"the device cannot do this: {ex.Message}"
                : $"{ex.GetType().Name}: {ex.Message}");
        }
        lock (_memory)
        {
            _memory[key] = new Memory(request.Value, now);
        }
        return new CommandResult(CommandStatus.Sent);
    }

    // After a failure the device's value is unknown: the next request is sent even if equal, but still rate-limited.
    private void Forget(CommandRequest request, DateTimeOffset now)
    {
        lock (_memory)
        {
            _memory[(request.DeviceId.ToLowerInvariant(), request.Command)] = new Memory(null, now);
        }
    }

    private sealed record Memory(double? AcknowledgedValue, DateTimeOffset AttemptedAt);
}
