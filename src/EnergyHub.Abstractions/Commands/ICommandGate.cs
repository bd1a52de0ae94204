using EnergyHub.Devices;

namespace EnergyHub.Commands;

/// <summary>
/// The only path from services to devices. Per device it serializes commands with reads, skips values that did not
/// change, enforces a minimum interval between commands of the same kind, and writes every attempt to the audit log.
/// </summary>
public interface ICommandGate
{
    /// <summary>
    /// Sends <paramref name="request"/> to the device by calling <paramref name="apply"/> on it, unless the gate
    /// decides not to (unchanged value, too soon, unknown device, wrong device type); the result says which.
    /// Never throws for device errors: those come back as <see cref="CommandStatus.Failed"/>.
    /// </summary>
    /// <typeparam name="TDevice">The contract the command needs, e.g. <see cref="IInverter"/>.</typeparam>
    Task<CommandResult> SendAsync<TDevice>(
        CommandRequest request,
        Func<TDevice, CancellationToken, Task> apply,
        CancellationToken cancellationToken)
        where TDevice : class;
}
