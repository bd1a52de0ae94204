using EnergyHub.Devices;
using EnergyHub.Commands;
using EnergyHub.Core.Devices;

namespace EnergyHub.Core.Commands;

/// <summary>
/// The <see cref="ICommandGate"/> of the running site; <see cref="For"/> gives each service (or operator verb) its own
/// view, which stamps it as the source. Per device and command kind it remembers the last value the device
/// acknowledged: an unchanged value is not re-sent until <see cref="Options.DeviceOptions.CommandReassertAfter"/>, and
/// a new attempt within <see cref="Options.DeviceOptions.CommandMinInterval"/> of the last is refused unless it is a
/// safety command; a re-assertion (the device was read back holding another value) is sent even when unchanged.
/// A service may only send what it owns (<see cref="CommandOwners"/>); for <see cref="ILowestAskWins"/> caps the device
/// gets the lowest of every owner's latest ask. A device that says it cannot (NotSupportedException) is not asked
/// again. Commands run in the device's <see cref="DeviceSession"/>, so they never overlap a read.
/// </summary>
public sealed class CommandGate(DeviceRegistry devices, TimeProvider time, CommandAuditLog audit, CommandOwners? owners = null)
{
    private const double Tolerance = 1e-9;

    private readonly CommandOwners _owners = owners ?? CommandOwners.None;
    private readonly Dictionary<(string Device, string Command), Memory> _memory = new();
    private readonly Dictionary<(string Device, string Command), Dictionary<string, double>> _asks = new();
    private readonly HashSet<(string Device, string Command)> _unsupported = new();

    /// <summary>The gate as <paramref name="source"/> (a service's name, or an operator verb) sees it.</summary>
    public ICommandGate For(string source) => new SourceGate(this, source);

    /// <summary>Sends <paramref name="command"/> on behalf of <paramref name="source"/>.</summary>
    public async Task<CommandResult> SendAsync(DeviceCommand command, string source, CancellationToken cancellationToken)
    {
        var request = new CommandRequest(command.DeviceId, command.Kind, command.Value, source, command.Reason)
        {
            IsSafety = command.IsSafety, Reassert = command.Reassert,
        };
        var key = (command.DeviceId.ToLowerInvariant(), command.Kind);
        CommandResult result;
        if (!devices.TryGet(command.DeviceId, out var session))
        {
            result = new CommandResult(CommandStatus.UnknownDevice, $"no device '{command.DeviceId}' is configured");
        }
        else if (!Abilities.Has(session.Device, command.Ability))
        {
            result = new CommandResult(CommandStatus.Unsupported,
                $"device '{command.DeviceId}' (driver {session.Driver}) does not have the ability {command.Ability.Name}{(command.Ability.IsInstanceOfType(session.Device) ? " as configured" : "")}");
        }
        else if (_owners.Refusal(source, command.DeviceId, command.GetType()) is { } refusal)
        {
            result = new CommandResult(CommandStatus.NotOwner, refusal);
        }
        else if (command.RefusedBy(session.Device) is { } cannot)
        {
            result = new CommandResult(CommandStatus.Unsupported, $"device '{command.DeviceId}': {cannot}; nothing was sent");
        }
        else if (IsUnsupported(key))
        {
            result = new CommandResult(CommandStatus.Unsupported, $"device '{command.DeviceId}' said before that it cannot do {command.Kind}; not asked again until restart");
        }
        else
        {
            var (effective, note) = Combine(command, source, key);
            try
            {
                result = await session.RunAsync((_, ct) => DecideAndSendAsync(session, effective, key, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException ex)
            {
                Forget(key, time.GetUtcNow());
                result = new CommandResult(CommandStatus.Failed, ex.Message);
            }
            if (note is not null)
            {
                result = result with { Detail = result.Detail is null ? note : $"{result.Detail}; {note}" };
            }
        }
        audit.Record(new CommandAuditEntry(time.GetUtcNow(), request, result));
        return result;
    }

    // A cap several services own goes to the device as the lowest latest ask; the note says so when that is not this ask.
    // An operator verb (safe-state) is not an ask among others: it goes through as given.
    private (DeviceCommand Effective, string? Note) Combine(DeviceCommand command, string source, (string, string) key)
    {
        if (command is not ILowestAskWins cap || !_owners.IsService(source))
        {
            return (command, null);
        }
        lock (_asks)
        {
            if (!_asks.TryGetValue(key, out var asks))
            {
                _asks[key] = asks = new Dictionary<string, double>(StringComparer.Ordinal);
            }
            asks[source] = command.Value;
            var (lowestSource, lowest) = asks.MinBy(a => a.Value);
            return lowest < command.Value - Tolerance
                ? (cap.WithValue(lowest) with { IsSafety = command.IsSafety, Reassert = command.Reassert }, $"{lowest} sent: {lowestSource} asks for less")
                : (command, null);
        }
    }

    private async Task<CommandResult> DecideAndSendAsync(DeviceSession session, DeviceCommand command, (string, string) key, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        Memory? last;
        lock (_memory)
        {
            _memory.TryGetValue(key, out last);
        }
        var holds = last is { AcknowledgedValue: { } held } && Math.Abs(held - command.Value) < Tolerance && last.Setpoint == command.Setpoint;
        if (holds && !command.Reassert && now - last!.AttemptedAt < session.Options.CommandReassertAfter)
        {
            return last.Unchanged;
        }
        if (last is not null && !command.IsSafety && now - last.AttemptedAt < session.Options.CommandMinInterval)
        {
            var wait = session.Options.CommandMinInterval - (now - last.AttemptedAt);
            return new CommandResult(CommandStatus.RateLimited, $"last {command.Kind} was {(now - last.AttemptedAt).TotalSeconds:0.#} s ago; next allowed in {wait.TotalSeconds:0.#} s");
        }

        try
        {
            await command.ApplyAsync(session.Device, ct).ConfigureAwait(false);
        }
        catch (NotSupportedException ex)
        {
            lock (_unsupported)
            {
                _unsupported.Add(key);
            }
            return new CommandResult(CommandStatus.Unsupported, $"the device cannot do this: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Forget(key, now);
            return new CommandResult(CommandStatus.Failed, $"{ex.GetType().Name}: {ex.Message}");
        }
        lock (_memory)
        {
            _memory[key] = new Memory(command.Value, now, command.Setpoint);
        }
        return new CommandResult(CommandStatus.Sent) { Reasserted = holds };
    }

    private bool IsUnsupported((string, string) key)
    {
        lock (_unsupported)
        {
            return _unsupported.Contains(key);
        }
    }

    // After a failure the device's value is unknown: the next request is sent even if equal, but still rate-limited.
    private void Forget((string, string) key, DateTimeOffset now)
    {
        lock (_memory)
        {
            _memory[key] = new Memory(null, now, null);
        }
    }

    private sealed record Memory(double? AcknowledgedValue, DateTimeOffset AttemptedAt, string? Setpoint)
    {
        // The answer to every repeat of this value, made once: services ask every tick.
        public CommandResult Unchanged { get; } = new(CommandStatus.Unchanged, $"device already holds {AcknowledgedValue}");
    }

    private sealed class SourceGate(CommandGate gate, string source) : ICommandGate
    {
        public Task<CommandResult> SendAsync(DeviceCommand command, CancellationToken cancellationToken) =>
            gate.SendAsync(command, source, cancellationToken);
    }
}
