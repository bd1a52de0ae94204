namespace EnergyHub.Commands;

/// <summary>A command as the audit log records it: which device, what kind and value, who asked and why.</summary>
/// <param name="DeviceId">The target device id.</param>
/// <param name="Command">The kind of command, e.g. <c>ActivePowerLimitPct</c>; dedupe and rate limits are per kind.</param>
/// <param name="Value">The value, in the unit the command's name carries.</param>
/// <param name="Source">Who asked: the service the gate served, or an operator verb such as <c>safe-state</c>.</param>
/// <param name="Reason">Why, in words a person reading the log understands.</param>
public sealed record CommandRequest(string DeviceId, string Command, double Value, string Source, string Reason)
{
    /// <summary>
    /// A fail-safe command (curtail on stale data, restore on shutdown): it skips the minimum interval,
    /// but an unchanged value is still not re-sent.
    /// </summary>
    public bool IsSafety { get; init; }

    /// <summary>
    /// The device was read back holding something else than this value (changed behind the service's back, or reset by
    /// a reboot): send it even though the gate remembers the device acknowledging it.
    /// </summary>
    public bool Reassert { get; init; }
}
