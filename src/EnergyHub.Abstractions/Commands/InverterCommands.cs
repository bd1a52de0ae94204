using EnergyHub.Devices;

namespace EnergyHub.Commands;

/// <summary>Limits an inverter's AC output to <paramref name="Pct"/> % of its rated power (100 = unlimited); the lowest ask wins.</summary>
/// <param name="DeviceId">The inverter.</param>
/// <param name="Pct">0 to 100.</param>
/// <param name="Reason">Why.</param>
public sealed record SetActivePowerLimit(string DeviceId, double Pct, string Reason) : DeviceCommand<IActivePowerLimiter>(DeviceId, Reason), ILowestAskWins
{
    /// <inheritdoc />
    public override string Kind => "ActivePowerLimitPct";

    /// <inheritdoc />
    public override double Value => Pct;

    /// <inheritdoc />
    public DeviceCommand WithValue(double value) => this with { Pct = value };

    /// <inheritdoc />
    protected override Task ApplyAsync(IActivePowerLimiter device, CancellationToken cancellationToken) => device.SetActivePowerLimitAsync(Pct, cancellationToken);
}

/// <summary>Caps export at the grid connection to <paramref name="W"/> watts; the lowest ask wins.</summary>
/// <param name="DeviceId">The device that enforces the cap.</param>
/// <param name="W">0 or more.</param>
/// <param name="Reason">Why.</param>
public sealed record SetExportLimit(string DeviceId, double W, string Reason) : DeviceCommand<IExportLimiter>(DeviceId, Reason), ILowestAskWins
{
    /// <inheritdoc />
    public override string Kind => "ExportLimitW";

    /// <inheritdoc />
    public override double Value => W;

    /// <inheritdoc />
    public DeviceCommand WithValue(double value) => this with { W = value };

    /// <inheritdoc />
    protected override Task ApplyAsync(IExportLimiter device, CancellationToken cancellationToken) => device.SetExportLimitAsync(W, cancellationToken);
}
