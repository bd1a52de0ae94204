namespace EnergyHub.Services.AxpertCharger;

/// <summary>The charge stage the service believes the bank is in.</summary>
public enum ChargeStage
{
    /// <summary>Charging towards the absorption voltage; float is held at the absorption voltage.</summary>
    Bulk,

    /// <summary>At the absorption voltage, waiting for the current to taper; float still held at absorption.</summary>
    Absorption,

    /// <summary>Absorption finished: the real float voltage is set.</summary>
    Float,
}

/// <summary>One battery sample as the service sees it.</summary>
/// <param name="Now">The tick's time.</param>
/// <param name="SampleTime">When the battery reading was taken; null when there is none.</param>
/// <param name="VoltageV">Battery voltage, V.</param>
/// <param name="ChargeCurrentA">Charging current, A (+ charging).</param>
/// <param name="TemperatureC">Battery or inverter temperature, °C, when known.</param>
public sealed record ChargerInputs(DateTimeOffset Now, DateTimeOffset? SampleTime, double? VoltageV, double? ChargeCurrentA, double? TemperatureC);

/// <summary>What the controller decided in one tick.</summary>
/// <param name="Stage">The stage after this tick.</param>
/// <param name="FloatSetpointV">The float voltage the inverter should have now, V.</param>
/// <param name="Reason">Why: a stage transition, a hold, or the fail-safe.</param>
/// <param name="Transition">True when the stage changed (or the fail-safe began) in this tick.</param>
/// <param name="AverageVoltageV">Voltage averaged over the window, V, when the window holds samples.</param>
/// <param name="AverageCurrentA">Charge current averaged over the window, A.</param>
public sealed record ChargerDecision(ChargeStage Stage, double FloatSetpointV, string Reason, bool Transition, double? AverageVoltageV, double? AverageCurrentA);

/// <summary>
/// The charger state machine. The firmware leaves absorption when the available current is short, so the service
/// holds float = absorption through bulk and absorption, and only sets the real float voltage once the averaged
/// current has tapered below <see cref="AxpertChargerOptions.EndCurrentA"/> (or the time cap is reached). Averages
/// start afresh at each stage change, so bulk samples never hide the taper. Stale data restores the real float
/// voltage: a bank left at absorption voltage unwatched is the dangerous case, an extra bulk is not.
/// </summary>
public sealed class AxpertChargerController(AxpertChargerOptions options)
{
    private readonly Queue<(DateTimeOffset At, double V, double A)> _window = new();
    private DateTimeOffset? _lastSample;
    private DateTimeOffset? _lastTick;
    private bool _failSafe;

    /// <summary>The reason given before the first battery reading: nothing is decided or written yet.</summary>
    public const string WaitingForData = "waiting_for_data";

    /// <summary>The current stage; every start begins in bulk (a finished bank just re-absorbs briefly).</summary>
    public ChargeStage Stage { get; private set; } = ChargeStage.Bulk;

    /// <summary>Takes one tick's inputs and returns the float voltage to hold.</summary>
    public ChargerDecision Step(ChargerInputs input)
    {
        var compensation = Compensation(input.TemperatureC);
        if (_lastTick is null && (input.SampleTime is null || input.VoltageV is null))
        {
            return new ChargerDecision(Stage, Round(options.FloatVoltageV + compensation), WaitingForData, false, null, null);
        }
        if (input.SampleTime is not { } at || input.VoltageV is not { } volts || input.Now - at > options.StaleAfter)
        {
            var began = !_failSafe;
            _failSafe = true;
            Enter(ChargeStage.Bulk);
            return new ChargerDecision(Stage, Round(options.FloatVoltageV + compensation), "telemetry_stale", began, null, null);
        }
        var recovered = _failSafe;
        _failSafe = false;

        if (_lastSample != at)
        {
            _lastSample = at;
            _window.Enqueue((at, volts, input.ChargeCurrentA ?? 0));
        }
        while (_window.Count > 0 && at - _window.Peek().At > options.AverageWindow)
        {
            _window.Dequeue();
        }
        var averageV = _window.Average(s => s.V);
        var averageA = _window.Average(s => s.A);
        var windowFull = at - _window.Peek().At >= options.AverageWindow * 0.9;
        var absorptionV = options.AbsorptionVoltageV + compensation;
        var reBulkV = options.ReBulkVoltageV + compensation;
        var atAbsorption = windowFull && averageV >= absorptionV - options.AbsorptionMarginV;
        if (Stage == ChargeStage.Absorption && atAbsorption && _lastTick is { } last)
        {
            AbsorbedFor += input.Now - last;
        }
        _lastTick = input.Now;

        var (next, reason) = Stage switch
        {
            ChargeStage.Bulk when atAbsorption =>
                (ChargeStage.Absorption, "absorption_reached"),
            ChargeStage.Absorption when AbsorbedFor >= options.MaxAbsorptionTime =>
                (ChargeStage.Float, "max_absorption_time"),
            ChargeStage.Absorption when atAbsorption && averageA < options.EndCurrentA =>
                (ChargeStage.Float, "current_tapered"),
            ChargeStage.Float when windowFull && averageV < reBulkV =>
                (ChargeStage.Bulk, "voltage_below_rebulk"),
            _ => (Stage, recovered ? "telemetry_back" : "hold_" + Stage.ToString().ToLowerInvariant()),
        };
        var changed = next != Stage;
        if (changed)
        {
            Enter(next);
        }
        var setpoint = Stage == ChargeStage.Float ? options.FloatVoltageV + compensation : absorptionV;
        return new ChargerDecision(Stage, Round(setpoint), reason, changed || recovered, averageV, averageA);
    }

    /// <summary>
    /// Time spent in absorption with the averaged voltage actually at the absorption voltage: a cloudy afternoon or a
    /// night does not use up <see cref="AxpertChargerOptions.MaxAbsorptionTime"/>.
    /// </summary>
    public TimeSpan AbsorbedFor { get; private set; }

    /// <summary>Voltage offset for the battery temperature against 25 °C for the whole bank, V.</summary>
    public double Compensation(double? temperatureC) =>
        temperatureC is { } t && options.TempCompMvPerCPerCell > 0
            ? Math.Clamp((25 - t) * options.TempCompMvPerCPerCell * options.Cells / 1000, -0.1 * options.Cells, 0.1 * options.Cells)
            : 0;

    private void Enter(ChargeStage stage)
    {
        if (stage == Stage)
        {
            return;
        }
        Stage = stage;
        AbsorbedFor = TimeSpan.Zero;
        _window.Clear();
        _lastSample = null;
    }

    private static double Round(double volts) => Math.Round(volts, 1, MidpointRounding.AwayFromZero);
}
