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
