using System.Runtime.CompilerServices;
using EnergyHub.Commands;
using EnergyHub.Site;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Services.ExportGuard;

/// <summary>
/// Never pay to export, curtail no more than needed: reads prices, battery, grid meter and inverter from the site,
/// lets <see cref="ExportGuardController"/> decide, writes the inverter's limit through the command gate, and records
/// every tick's decision with its inputs. A limit read back different from the one written is written again at once.
/// On stop it lifts the limit (100 %) and throws when the inverter did not confirm it.
/// </summary>
public sealed class ExportGuardService(ExportGuardOptions options, ILogger logger, TimeProvider? time = null) : IService, IHasSettings
{
    public const string ServiceName = "ExportGuard";

    // Set from the settings' thread, read by ticks: a boxed double is replaced whole.
    private volatile StrongBox<double>? _threshold;

    /// <inheritdoc />
    public IReadOnlyList<ServiceSetting> Settings => field ??= [
        ServiceSetting.Number(nameof(ExportGuardOptions.ThresholdPerKwh), "Curtail export while the feed-in price is below this (currency per kWh).",
            -100, 100, () => _threshold?.Value ?? options.ThresholdPerKwh, value => _threshold = new StrongBox<double>(value)),
        ServiceSetting.Number("PauseHours", "Pause the guard for this many hours from now (the inverter's limit is lifted meanwhile); 0 resumes it.",
            0, 72, () => _pausedUntil?.Value is { } until && until > _time.GetUtcNow() ? Math.Round((until - _time.GetUtcNow()).TotalHours, 2) : 0,
            hours => _pausedUntil = hours > 0 ? new StrongBox<DateTimeOffset>(_time.GetUtcNow().AddHours(hours)) : null),
    ];

    private volatile StrongBox<DateTimeOffset>? _pausedUntil;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly GuardState _state = new();
    private readonly InverterHistory _inverterHistory = new();
    private readonly RawPayloadFilter _raw = new(options.RawPayloads);
    private bool _wasFailSafe;
    private bool _reconciled;
    private bool _reassertLogged;
    private bool _writeFailureLogged;
    private bool _noExportLimitLogged;

    public string Name => ServiceName;

    public async Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        var input = Inputs(tick);
        var readBackAfterWrite = input.LimitReadBackTime > _state.WriteConfirmedAt; // before this tick's write moves it
        _state.ThresholdPerKwh = _threshold?.Value;
        _state.PausedUntil = _pausedUntil?.Value;
        var byExportLimit = ByExportLimit(tick);
        var decision = byExportLimit
            ? ExportGuardController.DecideExportLimit(input, options, _state)
            : ExportGuardController.Decide(input, options, _state);
        if (decision.Reason == GuardReason.TelemetryStale != _wasFailSafe)
        {
            _wasFailSafe = !_wasFailSafe;
            logger.Log(_wasFailSafe ? LogLevel.Warning : LogLevel.Information, _wasFailSafe
                ? "Battery or meter data is older than {Age}s while export is costly: fail-safe, inverter to 0 %"
                : "Battery and meter data are back: leaving the fail-safe", options.StaleAfter.TotalSeconds);
        }

        if (!_reconciled)
        {
            _reconciled = true;
            var reported = Device(tick, options.Inverter)?.Facts.RatedPowerW;
            if (options.RatedPowerW is { } overridden)
            {
                logger.LogInformation("Rated power {Rated:0} W, overriding the {Reported} W inverter {Inverter} reports: {Reason}",
                    overridden, reported?.ToString("0", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown", options.Inverter, options.RatedPowerReason);
            }
            else
            {
                logger.LogInformation("Rated power {Rated} W, as {Inverter} reports it", reported?.ToString("0", System.Globalization.CultureInfo.InvariantCulture) ?? "(not known yet)",
                    DeviceWords.The("inverter", options.Inverter));
            }
            logger.LogInformation("Starting with the inverter's limit at {ReadBack}; the guard wants {Wanted} % ({Reason})",
                input.LimitReadBackPct is { } inForce ? $"{inForce:0.#} %" : "an unknown value (not read yet)", decision.LimitPct, decision.Reason.Name());
        }
        LogReassertion(decision, input);

        CommandResult? result = null;
        if (byExportLimit)
        {
            result = await ApplyExportLimitAsync(tick, decision, cancellationToken).ConfigureAwait(false);
        }
        else if (decision.WritePct is { } pct)
        {
            result = await tick.Commands.SendAsync(
                new SetActivePowerLimit(options.Inverter, pct, decision.Reassert ? $"{decision.Reason.Name()}; re-asserted: read back {input.LimitReadBackPct:0.#} %" : decision.Reason.Name())
                {
                    IsSafety = decision.Urgent, Reassert = decision.Reassert,
                }, cancellationToken).ConfigureAwait(false);
            if (result.IsInEffect)
            {
                ExportGuardController.Written(_state, input, pct, _time.GetUtcNow());
                if (_writeFailureLogged)
                {
                    _writeFailureLogged = false;
                    logger.LogInformation("The inverter takes limits again: {Pct} % in force", pct);
                }
            }
            else if (result.Status == CommandStatus.Failed)
            {
                ExportGuardController.WriteFailed(_state);
                if (!_writeFailureLogged)
                {
                    _writeFailureLogged = true;
                    logger.LogWarning("Writing the inverter's limit failed ({Detail}); retrying every tick, the controller holds its integral meanwhile", result.Detail);
                }
            }
        }
        tick.Decisions.Record(new ExportGuardDecision(decision.Reason.Name(), decision.Reason.Sentence(), decision.LimitBy.ToString(), decision.ExportLimitW, decision.WriteExportW, decision.Costly,
            input.FeedInPerKwh, input.PriceAge?.TotalSeconds, _threshold?.Value ?? options.ThresholdPerKwh, _state.PausedUntil > tick.Now ? _state.PausedUntil : null,
            input.SocPct, input.BatteryW, input.GridW, input.InverterW, input.LoadW is { } load ? Math.Round(load) : null, input.RatedPowerW,
            input.TelemetryAge is { } age && age != TimeSpan.MaxValue ? age.TotalSeconds : null, input.TelemetryAge == TimeSpan.MaxValue, input.LimitReadBackPct,
            readBackAfterWrite, decision.Reassert, Math.Round(decision.TargetW), decision.TargetPct, decision.LimitPct, Math.Round(_state.Integral),
            Math.Round(_state.ProbeW), _state.Full, decision.WritePct, result?.Status.ToString(), result?.Detail,
            _raw.Take("prices", Device(tick, options.Prices)?.Reading?.RawPayload), _raw.Take("battery", Device(tick, options.Battery)?.Reading?.RawPayload)));
    }

    public async Task StopAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        if (_state.WrittenExportW is not null && Device(tick, options.Inverter)?.Facts.RatedPowerW is { } rated)
        {
            var lifted = await tick.Commands.SendAsync(new SetExportLimit(options.Inverter, rated, "stopped: export limit lifted") { IsSafety = true },
                cancellationToken).ConfigureAwait(false);
            if (!lifted.IsInEffect)
            {
                throw new SafeStateNotConfirmedException($"inverter '{options.Inverter}' did not confirm lifting its export limit: {lifted.Status} {lifted.Detail}");
            }
            _state.WrittenExportW = null;
        }
        var result = await tick.Commands.SendAsync(
            new SetActivePowerLimit(options.Inverter, 100, "stopped: limit lifted") { IsSafety = true }, cancellationToken).ConfigureAwait(false);
        tick.Decisions.Record(new ExportGuardStopped(100, result.Status.ToString(), result.Detail));
        if (!result.IsInEffect)
        {
            throw new SafeStateNotConfirmedException($"inverter '{options.Inverter}' did not confirm the 100 % limit: {result.Status} {result.Detail}");
        }
    }

    // Auto: the inverter's own export limit where it has one. Asked for one it lacks: the power limit, said once.
    private bool ByExportLimit(ServiceTick tick)
    {
        var able = Device(tick, options.Inverter)?.Facts.Has<Devices.IExportLimiter>() == true;
        if (options.LimitBy == ExportLimitMethod.ExportLimit && !able && !_noExportLimitLogged)
        {
            _noExportLimitLogged = true;
            logger.LogWarning("LimitBy = ExportLimit, but inverter {Inverter} has no grid export limit as configured: limiting its active power instead", options.Inverter);
        }
        return able && options.LimitBy != ExportLimitMethod.PowerLimit;
    }

    // The export limit at each transition; the active power limit is lifted once, as the inverter's own loop does the work.
    private async Task<CommandResult?> ApplyExportLimitAsync(ServiceTick tick, GuardDecision decision, CancellationToken cancellationToken)
    {
        if (_state.WrittenPct != 100)
        {
            var lifted = await tick.Commands.SendAsync(new SetActivePowerLimit(options.Inverter, 100, "limiting by the export limit: active power limit lifted")
                { IsSafety = true }, cancellationToken).ConfigureAwait(false);
            _state.WrittenPct = lifted.IsInEffect ? 100 : null;
        }
        if (decision.WriteExportW is not { } watts)
        {
            return null;
        }
        var result = await tick.Commands.SendAsync(new SetExportLimit(options.Inverter, watts, decision.Reason.Name()) { IsSafety = true }, cancellationToken)
            .ConfigureAwait(false);
        _state.WrittenExportW = result.IsInEffect ? watts : null;
        if (result.Status == CommandStatus.Failed && !_writeFailureLogged)
        {
            _writeFailureLogged = true;
            logger.LogWarning("Writing the inverter's export limit failed ({Detail}); retrying every tick", result.Detail);
        }
        else if (result.IsInEffect && _writeFailureLogged)
        {
            _writeFailureLogged = false;
            logger.LogInformation("The inverter takes export limits again: {Watts} W in force", watts);
        }
        return result;
    }

    // One line when the inverter is first seen holding another limit than was written, one when it holds ours again.
    private void LogReassertion(GuardDecision decision, GuardInputs input)
    {
        if (decision.Reassert && !_reassertLogged)
        {
            _reassertLogged = true;
            logger.LogWarning("Inverter {Inverter} reads back {ReadBack:0.#} % though {Written:0.#} % was written (changed outside EnergyHub, or reset by a reboot): re-asserting {Pct:0.#} %",
                options.Inverter, input.LimitReadBackPct, _state.WrittenPct, decision.WritePct);
        }
        else if (!decision.Reassert && _reassertLogged && input.LimitReadBackPct == _state.WrittenPct)
        {
            _reassertLogged = false;
            logger.LogInformation("Inverter {Inverter} holds the guard's limit again ({Pct:0.#} %)", options.Inverter, _state.WrittenPct);
        }
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
            telemetryAge,
            inverter?.Reading?.Timestamp,
            options.RatedPowerW ?? inverter?.Facts.RatedPowerW) { BatteryMode = battery?.Reading?.Battery?.Mode };
    }
}
