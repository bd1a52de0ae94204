using EnergyHub.Commands;
using EnergyHub.Site;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Services.AxpertCharger;

/// <summary>
/// Finishes lead-acid absorption that the Axpert firmware cuts short: feeds the battery's voltage and current to
/// <see cref="AxpertChargerController"/>, writes the float voltage it asks for through the command gate, records every
/// tick's decision and logs every stage change with its reason. On stop it restores the configured float voltage and
/// throws when the inverter did not take it.
/// </summary>
public sealed class AxpertChargerService(AxpertChargerOptions options, ILogger logger) : IService
{
    /// <summary>The name used in <c>[Services]</c> and as the section name.</summary>
    public const string ServiceName = "AxpertCharger";

    private readonly AxpertChargerController _controller = new(options);
    private double? _written;

    /// <inheritdoc />
    public string Name => ServiceName;

    /// <inheritdoc />
    public async Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        var battery = tick.Site.Devices.TryGetValue(options.Battery, out var device) ? device : null;
        var reading = battery?.Health is DeviceHealth.Online or DeviceHealth.Stale ? battery.Reading : null;
        var decision = _controller.Step(new ChargerInputs(
            tick.Now, reading?.Timestamp, reading?.Battery?.VoltageV, reading?.Battery?.CurrentA, reading?.Battery?.TemperatureC));
        if (decision.Transition)
        {
            logger.Log(decision.Reason == "telemetry_stale" ? LogLevel.Warning : LogLevel.Information,
                "Charger: {Reason}, now {Stage} with float {FloatV} V (average {AverageV} V, {AverageA} A)",
                decision.Reason, decision.Stage, decision.FloatSetpointV, decision.AverageVoltageV?.ToString("0.00"), decision.AverageCurrentA?.ToString("0.0"));
        }

        CommandResult? result = null;
        if (decision.Reason != AxpertChargerController.WaitingForData && _written != decision.FloatSetpointV)
        {
            result = await tick.Commands.SendAsync(
                new SetFloatVoltage(options.Battery, decision.FloatSetpointV, decision.Reason) { IsSafety = decision.Reason == "telemetry_stale" },
                cancellationToken).ConfigureAwait(false);
            _written = result.IsInEffect ? decision.FloatSetpointV : null;
        }
        tick.Decisions.Record(new AxpertChargerDecision(decision.Reason, decision.Stage.ToString(), decision.Transition, decision.AverageVoltageV,
            decision.AverageCurrentA, Math.Round(_controller.AbsorbedFor.TotalMinutes, 1), options.EndCurrentA, decision.FloatSetpointV, result?.Status.ToString(),
            result?.Detail));
    }

    /// <inheritdoc />
    public async Task StopAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        var result = await tick.Commands.SendAsync(
            new SetFloatVoltage(options.Battery, options.FloatVoltageV, "stopped: float voltage restored") { IsSafety = true },
            cancellationToken).ConfigureAwait(false);
        tick.Decisions.Record(new AxpertChargerStopped(options.FloatVoltageV, result.Status.ToString(), result.Detail));
        if (!result.IsInEffect)
        {
            throw new SafeStateNotConfirmedException($"'{options.Battery}' did not confirm the float voltage {options.FloatVoltageV} V: {result.Status} {result.Detail}");
        }
    }
}
