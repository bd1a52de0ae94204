namespace EnergyHub.Commands;

/// <summary>What became of a <see cref="CommandRequest"/>.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Detail">Why, for every outcome but <see cref="CommandStatus.Sent"/>.</param>
public sealed record CommandResult(CommandStatus Status, string? Detail = null)
{
    /// <summary>True when the device now holds the requested value (sent now, or sent before and unchanged).</summary>
    public bool IsInEffect => Status is CommandStatus.Sent or CommandStatus.Unchanged;

    /// <summary>
    /// Sent although the device had acknowledged this very value: a periodic reassertion (see
    /// <c>CommandReassertAfter</c>), not a change.
    /// </summary>
    public bool Reasserted { get; init; }
}

/// <summary>Outcomes of a command.</summary>
public enum CommandStatus
{
    /// <summary>Sent and acknowledged by the device.</summary>
    Sent,
    /// <summary>Not sent: the device already holds this value.</summary>
    Unchanged,
    /// <summary>Not sent: the previous command of this kind was too recent. Ask again next tick.</summary>
    RateLimited,
    /// <summary>Sent, and the device or transport failed.</summary>
    Failed,
    /// <summary>Not sent: no device has this id.</summary>
    UnknownDevice,
    /// <summary>Not sent: the device does not have the ability the command needs, or said it cannot (not retried).</summary>
    Unsupported,
    /// <summary>Not sent: the asking service does not own this command on this device (the config gives it to another, or to none).</summary>
    NotOwner,
}
