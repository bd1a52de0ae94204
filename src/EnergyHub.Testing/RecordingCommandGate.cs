using EnergyHub.Commands;

namespace EnergyHub.Testing;

/// <summary>
/// A command gate that records every command a service sends and answers <see cref="CommandStatus.Sent"/>, or what
/// <see cref="Answer"/> says for a device (a failing inverter, a charger that cannot do it).
/// </summary>
public sealed class RecordingCommandGate : ICommandGate
{
    private readonly List<DeviceCommand> _sent = [];

    /// <summary>Every command sent, oldest first.</summary>
    public IReadOnlyList<DeviceCommand> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>The answer to a command; by default <see cref="CommandStatus.Sent"/>.</summary>
    public Func<DeviceCommand, CommandResult> Answer { get; set; } = _ => new CommandResult(CommandStatus.Sent);

    /// <inheritdoc />
    public Task<CommandResult> SendAsync(DeviceCommand command, CancellationToken cancellationToken)
    {
        lock (_sent)
        {
            _sent.Add(command);
        }
        return Task.FromResult(Answer(command));
    }
}
