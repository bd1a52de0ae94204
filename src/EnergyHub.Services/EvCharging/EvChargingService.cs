using EnergyHub.Commands;
using EnergyHub.Devices;
using EnergyHub.Site;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Services.EvCharging;

/// <summary>
/// Runs a wallbox as pv-control did: every <see cref="EvChargingOptions.CycleInterval"/> it reads the grid meter, the
/// home battery and the charger, lets <see cref="EvChargeController"/> decide, and sends the current (0 stops
/// charging) and phase switches through the command gate. On stop (and after a failure) the charger goes to its safe
/// state.
/// </summary>
public sealed class EvChargingService(EvChargingOptions options, ILogger logger) : IService, IHasSettings, IHasStatus
{
    /// <summary>The name in <c>[Services]</c>.</summary>
    public const string ServiceName = "EvCharging";

    private readonly EvChargeController _controller = new(options.Settings, options.Mode, options.PhaseMode, options.ChargePriority, options.PhaseSwitcher.Length > 0);
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastCycle;
    private int? _phasesSet;
    private volatile EvStatus? _status;

    /// <inheritdoc />
    /// <remarks><c>Mode</c>, <c>PhaseMode</c> and <c>ChargePriority</c>; kept across restarts like every setting.</remarks>
    public IReadOnlyList<ServiceSetting> Settings => field ??= [
        ServiceSetting.Choice("Mode", "How the charger is run: Off and Max apply once, then Manual leaves it alone; PvOnly and PvAll follow the surplus.",
            () => Locked(() => _controller.DesiredMode), mode => Locked(() => _controller.DesiredMode = mode)),
        ServiceSetting.Choice("PhaseMode", "Auto (by the power available), OnePhase or ThreePhase.",
            () => Locked(() => _controller.PhaseMode), mode => Locked(() => _controller.PhaseMode = mode)),
        ServiceSetting.Choice("ChargePriority", "Who gets the surplus first: Auto (by the home battery's state of charge), HomeBattery or Car.",
            () => Locked(() => _controller.Priority), priority => Locked(() => _controller.Priority = priority)),
    ];

    /// <inheritdoc />
    public object? Status => _status;

    /// <inheritdoc />
    public string Name => ServiceName;

    /// <summary>The last decision, or null before the first.</summary>
    public EvDecision? LastDecision { get; private set; }

    /// <inheritdoc />
    public async Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        if (_lastCycle is { } last && tick.Now - last < options.CycleInterval)
        {
            return;
        }
        var charger = tick.Site.Fresh(options.Charger, options.StaleAfter);
        if (charger?.Charger is not { } reading)
        {
            tick.Decisions.Record("waiting", new Dictionary<string, object?> { ["why"] = $"no fresh reading of the charger {options.Charger}" });
            return;
        }
        _lastCycle = tick.Now;
        var battery = options.Battery.Length == 0 ? null : tick.Site.Fresh(options.Battery, options.StaleAfter)?.Battery;
        var limits = tick.Site.Devices.GetValueOrDefault(options.Charger)?.Facts.Charger;
        var phasesIn = _phasesSet ?? (reading.Phases > 0 ? reading.Phases : limits?.Phases ?? 3);
        var gridW = tick.Site.Fresh(options.GridMeter, options.StaleAfter)?.Meter?.PowerW;
        var gridMissing = options.Battery.Length > 0 && battery is null; // without the battery's power the surplus is unknown too
        var decision = Locked(() => _controller.Decide(new EvInputs(tick.Now, gridMissing ? null : gridW, battery?.PowerW ?? 0, battery?.SocPct, reading.Car,
            reading.CurrentA > 0, reading.CurrentA, phasesIn, reading.PowerW > 0 ? Math.Max(reading.Phases, 1) : 0, reading.PowerW)));
        LastDecision = decision;
        _status = Locked(() => new EvStatus(options.Charger, decision.Mode, _controller.DesiredMode, _controller.PhaseMode, _controller.Priority,
            reading.Car, reading.CurrentA, reading.Phases, reading.PowerW, reading.SessionEnergyWh, decision.Why));
        await ApplyAsync(tick, decision, cancellationToken).ConfigureAwait(false);
        tick.Decisions.Record(decision.Mode.ToString(), new Dictionary<string, object?>
        {
            ["why"] = decision.Why, ["currentA"] = decision.CurrentA, ["stop"] = decision.Stop, ["phases"] = decision.Phases,
            ["gridW"] = gridW, ["batteryW"] = battery?.PowerW, ["chargerW"] = reading.PowerW, ["car"] = reading.Car.ToString(),
        });
    }

    /// <inheritdoc />
    public async Task StopAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        var result = await tick.Commands.SendAsync(new EnterSafeState(options.Charger, "EnergyHub stops: the charger's safe state") { IsSafety = true },
            cancellationToken).ConfigureAwait(false);
        if (!result.IsInEffect)
        {
            throw new SafeStateNotConfirmedException($"{options.Charger}: the charger did not confirm its safe state ({result.Status}: {result.Detail})");
        }
        _lastCycle = null;
    }

    private T Locked<T>(Func<T> work)
    {
        lock (_gate)
        {
            return work();
        }
    }

    private async Task ApplyAsync(ServiceTick tick, EvDecision decision, CancellationToken cancellationToken)
    {
        if (decision.Phases is { } phases && options.PhaseSwitcher.Length > 0)
        {
            var result = await tick.Commands.SendAsync(new SetPhases(options.PhaseSwitcher, phases, decision.Why), cancellationToken).ConfigureAwait(false);
            if (result.IsInEffect)
            {
                _phasesSet = phases;
            }
            Warn(result, "phases");
        }
        if (decision.Stop)
        {
            Warn(await tick.Commands.SendAsync(new SetChargeCurrent(options.Charger, 0, decision.Why) { IsSafety = true }, cancellationToken).ConfigureAwait(false), "stop");
        }
        else if (decision.CurrentA is { } current)
        {
            Warn(await tick.Commands.SendAsync(new SetChargeCurrent(options.Charger, current, decision.Why), cancellationToken).ConfigureAwait(false), "current");
        }
    }

    private void Warn(CommandResult result, string what)
    {
        if (!result.IsInEffect && result.Status != CommandStatus.RateLimited)
        {
            logger.LogWarning("{Charger}: the {What} was not applied: {Status} {Detail}", options.Charger, what, result.Status, result.Detail);
        }
    }
}
