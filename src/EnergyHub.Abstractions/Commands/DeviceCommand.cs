using EnergyHub.Devices;

namespace EnergyHub.Commands;

/// <summary>
/// A change a service asks one device to make: a record with value equality whose type names the command and the
/// ability it needs. The gate stamps who asked (the calling service), checks that it owns this command on this device,
/// dedupes and rate-limits per <see cref="Kind"/>, and audits every attempt.
/// </summary>
/// <param name="DeviceId">The target device id.</param>
/// <param name="Reason">Why, in words a person reading the log understands.</param>
public abstract record DeviceCommand(string DeviceId, string Reason)
{
    /// <summary>The kind, unit-suffixed (e.g. <c>ActivePowerLimitPct</c>): dedupe, rate limits and the audit log are per kind.</summary>
    public abstract string Kind { get; }

    /// <summary>The value, in the unit <see cref="Kind"/> carries.</summary>
    public abstract double Value { get; }

    /// <summary>
    /// What the command sets beyond <see cref="Value"/> (a battery mode's power and target), in words; the gate sends a
    /// command whose value or set-point differs from what the device acknowledged. Null when the value says it all.
    /// </summary>
    public virtual string? Setpoint => null;

    /// <summary>The ability the device must have, e.g. <see cref="IInverter"/>.</summary>
    public abstract Type Ability { get; }

    /// <summary>
    /// A fail-safe command (curtail on stale data, restore on shutdown): it skips the minimum interval, but an
    /// unchanged value is still not re-sent.
    /// </summary>
    public bool IsSafety { get; init; }

    /// <summary>
    /// The device was read back holding something else than this value (changed behind the service's back, or reset by
    /// a reboot): send it even though the gate remembers the device acknowledging it.
    /// </summary>
    public bool Reassert { get; init; }

    /// <summary>Applies the command to <paramref name="device"/>, which has <see cref="Ability"/>; called only by the gate.</summary>
    public abstract Task ApplyAsync(object device, CancellationToken cancellationToken);

    /// <summary>Why <paramref name="device"/>, which has <see cref="Ability"/>, cannot take this value of it (a battery mode it lacks); null when it can.</summary>
    public virtual string? RefusedBy(object device) => null;
}

/// <summary>A <see cref="DeviceCommand"/> for devices with the ability <typeparamref name="TAbility"/>.</summary>
/// <typeparam name="TAbility">The SDK contract the command calls, e.g. <see cref="IInverter"/>.</typeparam>
public abstract record DeviceCommand<TAbility>(string DeviceId, string Reason) : DeviceCommand(DeviceId, Reason)
    where TAbility : class
{
    /// <inheritdoc />
    public sealed override Type Ability => typeof(TAbility);

    /// <inheritdoc />
    public sealed override Task ApplyAsync(object device, CancellationToken cancellationToken) => ApplyAsync((TAbility)device, cancellationToken);

    /// <summary>Applies the command to <paramref name="device"/>.</summary>
    protected abstract Task ApplyAsync(TAbility device, CancellationToken cancellationToken);
}

/// <summary>
/// A cap that several services may ask for on the same device: the device gets the lowest of the latest asks of every
/// service that owns it (OpenEMS-style constraints), and a service that lifts its ask (asks for the maximum) leaves the
/// others' in force.
/// </summary>
public interface ILowestAskWins
{
    /// <summary>The same command with <paramref name="value"/> instead of its own.</summary>
    DeviceCommand WithValue(double value);
}
