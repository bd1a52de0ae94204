using EnergyHub.Commands;
using EnergyHub.Site;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Services.ExportGuard;

/// <summary>
/// Never pay to export, curtail no more than needed: reads prices, battery, grid meter and inverter from the site,
/// lets <see cref="ExportGuardController"/> decide, writes the inverter's limit through the command gate, and records
/// every tick's decision with its inputs. On stop it lifts the limit (100 %).
/// </summary>
public sealed class ExportGuardService(ExportGuardOptions options, ILogger logger) : IService
{
    public const string ServiceName = "ExportGuard";

    private readonly GuardState _state = new();
    private readonly InverterHistory _inverterHistory = new();
    private readonly RawPayloadFilter _raw = new(options.RawPayloads);
    private bool _wasFailSafe;

    public string Name => ServiceName;

    public async Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        var input = Inputs(tick);
        var decision = ExportGuardController.Decide(input, options, _state);
        if (decision.Reason == "telemetry_stale" != _wasFailSafe)
        {
            _wasFailSafe = !_wasFailSafe;
            logger.Log(_wasFailSafe ? LogLevel.Warning : LogLevel.Information, _wasFailSafe
                ? "Battery or meter data is older than {Age}s while export is costly: fail-safe, inverter to 0 %"
                : "Battery and meter data are back: leaving the fail-safe", options.TelemetryMaxAge.TotalSeconds);
        }

        CommandResult? result = null;
        if (decision.WritePct is { } pct)
        {
            result = await tick.Commands.SetActivePowerLimitAsync(
                new CommandRequest(options.Inverter, "", pct, Name, decision.Reason) { IsSafety = decision.Urgent }, cancellationToken).ConfigureAwait(false);
            if (result.IsInEffect)
            {
                ExportGuardController.Written(_state, input, pct);
            }
        }
        tick.Decisions.Record(decision.Reason, new Dictionary<string, object?>
        {
            ["costly"] = decision.Costly,
            ["feedInPerKwh"] = input.FeedInPerKwh,
            ["priceAgeSeconds"] = input.PriceAge?.TotalSeconds,
            ["thresholdPerKwh"] = options.ThresholdPerKwh,
            ["socPct"] = input.SocPct,
            ["batteryW"] = input.BatteryW,
            ["gridW"] = input.GridW,
            ["inverterW"] = input.InverterW,
            ["loadW"] = input.LoadW is { } load ? Math.Round(load) : null,
            ["ratedPowerW"] = options.RatedPowerW,
            ["telemetryAgeSeconds"] = input.TelemetryAge?.TotalSeconds,
            ["limitReadBackPct"] = input.LimitReadBackPct,
            ["targetW"] = Math.Round(decision.TargetW),
            ["targetPct"] = decision.TargetPct,
            ["limitPct"] = decision.LimitPct,
            ["integralW"] = Math.Round(_state.Integral),
            ["probeW"] = Math.Round(_state.ProbeW),
            ["batteryFull"] = _state.Full,
            ["writePct"] = decision.WritePct,
            ["writeResult"] = result?.Status.ToString(),
            ["writeDetail"] = result?.Detail,
            ["rawPrices"] = _raw.Take("prices", Device(tick, options.Prices)?.Reading?.RawPayload),
            ["rawBattery"] = _raw.Take("battery", Device(tick, options.Battery)?.Reading?.RawPayload),
        });
    }

    public async Task StopAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        var result = await tick.Commands.SetActivePowerLimitAsync(
            new CommandRequest(options.Inverter, "", 100, Name, "stopped: limit lifted") { IsSafety = true }, cancellationToken).ConfigureAwait(false);
        tick.Decisions.Record("stopped", new Dictionary<string, object?> { ["writePct"] = 100.0, ["writeResult"] = result.Status.ToString() });
    }

    private static DeviceState? Device(ServiceTick tick, string id) => tick.Site.Devices.TryGetValue(id, out var d) ? d : null;

    private GuardInputs Inputs(ServiceTick tick)
    {
        var prices = Device(tick, options.Prices);
        var battery = Device(tick, options.Battery);
        var grid = Device(tick, options.GridMeter);
        var inverter = Device(tick, options.Inverter);
        var interval = prices?.Reading?.Prices?.At(tick.Now);
        TimeSpan? Age(DeviceState? d) => d is { Reading: not null, Age: { } age } && d.Health is DeviceHealth.Online or DeviceHealth.Stale ? age : null;
        var telemetryAge = Age(battery) is { } b && Age(grid) is { } g ? (b > g ? b : g) : (TimeSpan?)null;
        if (battery?.Health == DeviceHealth.Offline || grid?.Health == DeviceHealth.Offline)
        {
            telemetryAge = TimeSpan.MaxValue;
        }
        return new GuardInputs(
            tick.Now,
            interval?.FeedInPerKwh,
            interval is null ? null : Age(prices),
            grid?.Reading?.Meter?.PowerW,
            battery?.Reading?.Battery?.PowerW,
            battery?.Reading?.Battery?.SocPct,
            _inverterHistory.At(grid?.Reading?.Timestamp, inverter?.Reading),
            inverter?.Reading?.Inverter?.ActivePowerLimitPct,
            grid?.Reading?.Timestamp,
            telemetryAge);
    }
}
