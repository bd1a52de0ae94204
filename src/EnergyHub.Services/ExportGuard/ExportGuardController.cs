namespace EnergyHub.Services.ExportGuard;

/// <summary>What the guard knows at one tick, in SDK signs (grid + import, battery + charging).</summary>
public sealed record GuardInputs(
    DateTimeOffset Now,
    double? FeedInPerKwh,
    TimeSpan? PriceAge,
    double? GridW,
    double? BatteryW,
    double? SocPct,
    double? InverterW,
    double? LimitReadBackPct,
    DateTimeOffset? TelemetryTime,
    TimeSpan? TelemetryAge);

/// <summary>The decision of one tick.</summary>
/// <param name="Reason">export_allowed, limiting, prices_stale or telemetry_stale.</param>
/// <param name="Costly">Whether exporting would cost money (or prices are unknown).</param>
/// <param name="TargetW">The power the inverter should produce, W.</param>
/// <param name="TargetPct">The same as a percentage of rated power.</param>
/// <param name="LimitPct">The smoothed limit the guard wants in force.</param>
/// <param name="WritePct">The limit to write now, or null when nothing is to be written.</param>
/// <param name="Urgent">A fail-safe or state change: written at once, past the command gate's rate limit.</param>
public sealed record GuardDecision(string Reason, bool Costly, double TargetW, double TargetPct, double LimitPct, double? WritePct, bool Urgent);

/// <summary>The controller's memory between ticks.</summary>
public sealed class GuardState
{
    public double Integral { get; set; }
    public double ProbeW { get; set; }
    public double? LastPct { get; set; }
    public double? WrittenPct { get; set; }
    public DateTimeOffset LastWrite { get; set; } = DateTimeOffset.MinValue;
    public DateTimeOffset? WrittenOnTelemetry { get; set; }
    public string? LastReason { get; set; }
    public DateTimeOffset? LastTick { get; set; }
    public DateTimeOffset? LastTelemetry { get; set; }
    public GuardDecision? Last { get; set; }
}

/// <summary>
/// The export-cost guard as a pure decider. When exporting would cost money (feed-in below the threshold, or prices
/// unknown) the inverter is held to what the house and the battery can absorb: feed-forward (house load + the room
/// the battery has, including a probe that offers it more while nothing is exported) plus a PI correction of the
/// measured grid power toward a small import bias, with a deadband and anti-windup, so 5–15 s late telemetry does
/// not make it oscillate. Otherwise 100 %. Fail-safe (costly and telemetry stale) is 0 %, written at once, past any
/// smoothing or write gating. A full battery that discharges is allowed a small export instead of being drained.
/// </summary>
public static class ExportGuardController
{
    public static GuardDecision Decide(GuardInputs input, ExportGuardOptions o, GuardState state)
    {
        var pricesKnown = input.FeedInPerKwh is not null && input.PriceAge <= o.PriceMaxAge;
        var costly = !pricesKnown || input.FeedInPerKwh < o.ThresholdPerKwh;
        var telemetryFresh = input.TelemetryAge <= o.TelemetryMaxAge && input.GridW is not null && input.BatteryW is not null && input.InverterW is not null;

        string reason;
        double target;
        var urgent = false;
        if (!costly)
        {
            (reason, target) = ("export_allowed", o.RatedPowerW);
            state.Integral = 0;
            state.ProbeW = 0;
            state.LastTick = null;
        }
        else if (!telemetryFresh)
        {
            (reason, target, urgent) = ("telemetry_stale", 0, true);
            state.Integral = 0;
        }
        else if (input.TelemetryTime == state.LastTelemetry && state.Last is { Reason: "limiting" or "prices_stale" } held)
        {
            // The same (late) sample again: reacting twice to it would double the correction. Hold until new data.
            return held with { Reason = pricesKnown ? "limiting" : "prices_stale", WritePct = null, Urgent = false };
        }
        else
        {
            reason = pricesKnown ? "limiting" : "prices_stale";
            var dt = state.LastTick is { } last ? Math.Clamp((input.Now - last).TotalSeconds, 0, 60) : 0;
            state.LastTick = input.Now;
            state.LastTelemetry = input.TelemetryTime;
            var grid = input.GridW!.Value;
            var battery = input.BatteryW!.Value;
            var soc = input.SocPct ?? 100;
            var load = Math.Max(0, input.InverterW!.Value + grid - battery);

            // Room for the battery: what it takes now, at least AutoChargeW below the SOC threshold, plus the probe.
            var charging = Math.Max(0, battery);
            var room = charging;
            if (soc < o.AutoChargeBelowSocPct)
            {
                // Offer more while nothing is exported; take back what was exported beyond the deadband.
                var exported = Math.Max(0, -grid - o.DeadbandW);
                state.ProbeW = exported > 0 ? Math.Max(0, state.ProbeW - exported) : Math.Min(o.AutoChargeMaxW, state.ProbeW + o.ChargeProbeStepW);
                room = Math.Min(o.AutoChargeMaxW, Math.Max(charging, o.AutoChargeW) + state.ProbeW);
            }
            // While the battery can still absorb, a small export is caught by it; the import bias matters once it cannot.
            var bias = soc < o.AutoChargeBelowSocPct ? 0 : o.ImportBiasW;
            var allowance = 0.0;
            if (soc >= o.AutoChargeBelowSocPct && battery <= -50)
            {
                // Full and discharging: accept a small export rather than drain the battery into the house.
                (bias, allowance) = (0, Math.Min(300, -battery));
            }
            var error = grid - bias;
            var feedForward = load + room + allowance;
            var unclamped = feedForward + o.Kp * error + state.Integral;
            var saturated = (unclamped >= o.RatedPowerW && error > 0) || (unclamped <= 0 && error < 0);
            if (Math.Abs(error) > o.DeadbandW && !saturated)
            {
                state.Integral = Math.Clamp(state.Integral + o.Ki * error * dt, -o.RatedPowerW, o.RatedPowerW);
            }
            target = feedForward + o.Kp * error + state.Integral;
        }
        target = Math.Clamp(target, 0, o.RatedPowerW);
        var rawPct = Math.Round(target / o.RatedPowerW * 100);

        var stateChanged = state.LastReason is not null && (state.LastReason == "export_allowed") != (reason == "export_allowed");
        var pct = urgent || stateChanged || state.LastPct is null
            ? rawPct
            : Math.Round(state.LastPct.Value * o.LimitSmoothing + rawPct * (1 - o.LimitSmoothing));
        state.LastPct = pct;
        state.LastReason = reason;

        // Ordinary writes need new telemetry, a real change, and time since the last write; urgent ones need only a change.
        var changed = state.WrittenPct is not { } written || Math.Abs(written - pct) >= Math.Max(o.MinPctStep, 1e-9) || (urgent && written != pct);
        var newTelemetry = input.TelemetryTime != state.WrittenOnTelemetry || !costly;
        var timeOk = input.Now - state.LastWrite >= o.MinWriteInterval;
        var write = changed && (urgent || stateChanged || (newTelemetry && timeOk));
        state.Last = new GuardDecision(reason, costly, target, rawPct, pct, write ? pct : null, urgent || stateChanged);
        return state.Last;
    }

    /// <summary>Remembers a write the device confirmed.</summary>
    public static void Written(GuardState state, GuardInputs input, double pct)
    {
        state.WrittenPct = pct;
        state.LastWrite = input.Now;
        state.WrittenOnTelemetry = input.TelemetryTime;
    }
}
