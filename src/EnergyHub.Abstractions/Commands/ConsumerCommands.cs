using EnergyHub.Devices;

namespace EnergyHub.Commands;

/// <summary>Gives a controllable consumer an allowance of <paramref name="W"/> watts (0 = off).</summary>
/// <param name="DeviceId">The consumer.</param>
/// <param name="W">0 or more.</param>
/// <param name="Reason">Why.</param>
public sealed record SetAllowance(string DeviceId, double W, string Reason) : DeviceCommand<IConsumer>(DeviceId, Reason)
{
    /// <inheritdoc />
    public override string Kind => "AllowanceW";

    /// <inheritdoc />
    public override double Value => W;

    /// <inheritdoc />
    protected override Task ApplyAsync(IConsumer device, CancellationToken cancellationToken) => device.SetAllowanceAsync(W, cancellationToken);
}

/// <summary>Puts a device into the state it should be left in when nothing controls it (<see cref="ISafeState"/>).</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="Reason">Why.</param>
public sealed record EnterSafeState(string DeviceId, string Reason) : DeviceCommand<ISafeState>(DeviceId, Reason)
{
    /// <inheritdoc />
    public override string Kind => "SafeState";

    /// <inheritdoc />
    public override double Value => 1;

    /// <inheritdoc />
    protected override Task ApplyAsync(ISafeState device, CancellationToken cancellationToken) => device.EnterSafeStateAsync(cancellationToken);
}

/// <summary>Switches a relay, plug or charging permission on or off.</summary>
/// <param name="DeviceId">The switch.</param>
/// <param name="On">On (true) or off.</param>
/// <param name="Reason">Why.</param>
public sealed record SetSwitch(string DeviceId, bool On, string Reason) : DeviceCommand<ISwitch>(DeviceId, Reason)
{
    /// <inheritdoc />
    public override string Kind => "SwitchOn";

    /// <inheritdoc />
    public override double Value => On ? 1 : 0;

    /// <inheritdoc />
    protected override Task ApplyAsync(ISwitch device, CancellationToken cancellationToken) => device.SetSwitchAsync(On, cancellationToken);
}

/// <summary>Sets an EV charger's charging current per phase (0 pauses).</summary>
/// <param name="DeviceId">The charger.</param>
/// <param name="A">Amps per phase.</param>
/// <param name="Reason">Why.</param>
public sealed record SetChargeCurrent(string DeviceId, double A, string Reason) : DeviceCommand<ICurrentLimiter>(DeviceId, Reason)
{
    /// <inheritdoc />
    public override string Kind => "ChargeCurrentA";

    /// <inheritdoc />
    public override double Value => A;

    /// <inheritdoc />
    protected override Task ApplyAsync(ICurrentLimiter device, CancellationToken cancellationToken) => device.SetChargeCurrentAsync(A, cancellationToken);
}

/// <summary>Switches an EV charger between 1 and 3 phases.</summary>
/// <param name="DeviceId">The charger.</param>
/// <param name="Phases">1 or 3.</param>
/// <param name="Reason">Why.</param>
public sealed record SetPhases(string DeviceId, int Phases, string Reason) : DeviceCommand<IPhaseSwitcher>(DeviceId, Reason)
{
    /// <inheritdoc />
    public override string Kind => "Phases";

    /// <inheritdoc />
    public override double Value => Phases;

    /// <inheritdoc />
    protected override Task ApplyAsync(IPhaseSwitcher device, CancellationToken cancellationToken) => device.SetPhasesAsync(Phases, cancellationToken);
}
