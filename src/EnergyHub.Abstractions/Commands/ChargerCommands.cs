using EnergyHub.Devices;

namespace EnergyHub.Commands;

/// <summary>Sets a battery charger's maximum charging current.</summary>
/// <param name="DeviceId">The charger.</param>
/// <param name="A">Amps, one of the steps the charger allows.</param>
/// <param name="Reason">Why.</param>
public sealed record SetMaxChargeCurrent(string DeviceId, double A, string Reason) : DeviceCommand<IChargeCurrentLimiter>(DeviceId, Reason)
{
    /// <inheritdoc />
    public override string Kind => "MaxChargeCurrentA";

    /// <inheritdoc />
    public override double Value => A;

    /// <inheritdoc />
    protected override Task ApplyAsync(IChargeCurrentLimiter device, CancellationToken cancellationToken) => device.SetMaxChargeCurrentAsync(A, cancellationToken);
}

/// <summary>Sets a battery charger's float voltage.</summary>
/// <param name="DeviceId">The charger.</param>
/// <param name="V">Volts, within the charger's range for its battery.</param>
/// <param name="Reason">Why.</param>
public sealed record SetFloatVoltage(string DeviceId, double V, string Reason) : DeviceCommand<IFloatVoltageSetter>(DeviceId, Reason)
{
    /// <inheritdoc />
    public override string Kind => "FloatVoltageV";

    /// <inheritdoc />
    public override double Value => V;

    /// <inheritdoc />
    protected override Task ApplyAsync(IFloatVoltageSetter device, CancellationToken cancellationToken) => device.SetFloatVoltageAsync(V, cancellationToken);
}

/// <summary>Puts a battery system into a mode: self-consumption, hold, charge from the grid, or discharge.</summary>
/// <param name="DeviceId">The battery system.</param>
/// <param name="Mode">The mode.</param>
/// <param name="PowerW">The most it charges or discharges with, W (ChargeFromGrid, Discharge).</param>
/// <param name="TargetSocPct">Where grid charging stops, % (ChargeFromGrid).</param>
/// <param name="Reason">Why.</param>
public sealed record SetBatteryMode(string DeviceId, BatteryMode Mode, double? PowerW, double? TargetSocPct, string Reason)
    : DeviceCommand<IBatteryControl>(DeviceId, Reason)
{
    /// <inheritdoc />
    public override string Kind => "BatteryMode";

    /// <summary>The mode as a number (its <see cref="BatteryMode"/> value), so the gate's dedupe and the audit see a change of mode.</summary>
    public override double Value => (int)Mode;

    /// <inheritdoc />
    /// <remarks>The power and target: a new power in the same mode is sent too.</remarks>
    public override string? Setpoint => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Mode} {PowerW:0} W to {TargetSocPct:0.#} %");

    /// <inheritdoc />
    protected override Task ApplyAsync(IBatteryControl device, CancellationToken cancellationToken) =>
        device.SetBatteryModeAsync(Mode, PowerW, TargetSocPct, cancellationToken);

    /// <inheritdoc />
    public override string? RefusedBy(object device) => device is IBatteryControl control && !control.Modes.Contains(Mode)
        ? $"the battery takes only {string.Join(", ", control.Modes.Order())}, not {Mode}"
        : null;
}
