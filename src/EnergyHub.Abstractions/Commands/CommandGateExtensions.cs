using EnergyHub.Devices;

namespace EnergyHub.Commands;

/// <summary>Typed commands over <see cref="ICommandGate.SendAsync{TDevice}"/>.</summary>
public static class CommandGateExtensions
{
    /// <summary>Limits an inverter's AC output to <see cref="CommandRequest.Value"/> % of its rated power.</summary>
    public static Task<CommandResult> SetActivePowerLimitAsync(
        this ICommandGate gate, CommandRequest request, CancellationToken cancellationToken) =>
        gate.SendAsync<IInverter>(
            request with { Command = "ActivePowerLimitPct" },
            (inverter, ct) => inverter.SetActivePowerLimitAsync(request.Value, ct),
            cancellationToken);

    /// <summary>Caps export at the grid connection to <see cref="CommandRequest.Value"/> W.</summary>
    public static Task<CommandResult> SetExportLimitAsync(
        this ICommandGate gate, CommandRequest request, CancellationToken cancellationToken) =>
        gate.SendAsync<IExportLimiter>(
            request with { Command = "ExportLimitW" },
            (limiter, ct) => limiter.SetExportLimitAsync(request.Value, ct),
            cancellationToken);

    /// <summary>Gives a consumer an allowance of <see cref="CommandRequest.Value"/> W.</summary>
    public static Task<CommandResult> SetAllowanceAsync(
        this ICommandGate gate, CommandRequest request, CancellationToken cancellationToken) =>
        gate.SendAsync<IConsumer>(
            request with { Command = "AllowanceW" },
            (consumer, ct) => consumer.SetAllowanceAsync(request.Value, ct),
            cancellationToken);

    /// <summary>Sets a battery charger's maximum charging current to <see cref="CommandRequest.Value"/> A.</summary>
    public static Task<CommandResult> SetMaxChargeCurrentAsync(
        this ICommandGate gate, CommandRequest request, CancellationToken cancellationToken) =>
        gate.SendAsync<IChargerSettings>(
            request with { Command = "MaxChargeCurrentA" },
            (charger, ct) => charger.SetMaxChargeCurrentAsync(request.Value, ct),
            cancellationToken);

    /// <summary>Sets a battery charger's float voltage to <see cref="CommandRequest.Value"/> V.</summary>
    public static Task<CommandResult> SetFloatVoltageAsync(
        this ICommandGate gate, CommandRequest request, CancellationToken cancellationToken) =>
        gate.SendAsync<IChargerSettings>(
            request with { Command = "FloatVoltageV" },
            (charger, ct) => charger.SetFloatVoltageAsync(request.Value, ct),
            cancellationToken);
}
