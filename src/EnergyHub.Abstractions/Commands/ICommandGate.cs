namespace EnergyHub.Commands;

/// <summary>
/// The only path from services to devices. The gate a service gets on its tick knows which service it serves: it
/// stamps that as the command's source and refuses commands the service does not own on that device (the config says
/// who owns what). Per device it serializes commands with reads, skips values that did not change, enforces a minimum
/// interval between commands of the same kind, and writes every attempt to the audit log.
/// </summary>
public interface ICommandGate
{
    /// <summary>
    /// Sends <paramref name="command"/> unless the gate decides not to (unchanged value, too soon, unknown device, a
    /// device without the ability, not this service's to send); the result says which. Never throws for device errors:
    /// those come back as <see cref="CommandStatus.Failed"/>, and a device that says it cannot as
    /// <see cref="CommandStatus.Unsupported"/> (not retried).
    /// </summary>
    Task<CommandResult> SendAsync(DeviceCommand command, CancellationToken cancellationToken);
}
