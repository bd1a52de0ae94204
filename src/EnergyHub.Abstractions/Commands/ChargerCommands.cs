using EnergyHub.Devices;

namespace EnergyHub.Commands;

/// <summary>Sets a battery charger's maximum charging current.</summary>
/// <param name="DeviceId">The charger.</param>
/// <param name="A">Amps, one of the steps the charger allows.</param>
/// <param name="Reason">Why.</param>
public sealed record SetMaxChargeCurrent(string DeviceId, double A, string Reason) : DeviceCommand<IChargerSettings>(DeviceId, Reason)
{
    /// <inheritdoc />
    public override string Kind => "MaxChargeCurrentA";

    /// <inheritdoc />
    public override double Value => A;

    /// <inheritdoc />
    protected override Task ApplyAsync(IChargerSettings device, CancellationToken cancellationToken) => device.SetMaxChargeCurrentAsync(A, cancellationToken);
}

/// <summary>Sets a battery charger's float voltage.</summary>
/// <param name="DeviceId">The charger.</param>
/// <param name="V">Volts, within the charger's range for its battery.</param>
/// <param name="Reason">Why.</param>
public sealed record SetFloatVoltage(string DeviceId, double V, string Reason) : DeviceCommand<IChargerSettings>(DeviceId, Reason)
{
    /// <inheritdoc />
    public override string Kind => "FloatVoltageV";

    /// <inheritdoc />
    public override double Value => V;

    /// <inheritdoc />
    protected override Task ApplyAsync(IChargerSettings device, CancellationToken cancellationToken) => device.SetFloatVoltageAsync(V, cancellationToken);
}
