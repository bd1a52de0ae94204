namespace EnergyHub.Services.ExportGuard;

/// <summary>
/// What the guard knows at one tick, in SDK signs (grid + import, battery + charging). <see cref="RatedPowerW"/> is the
/// inverter's (from its device facts, or the configured override); unknown counts as stale telemetry.
/// </summary>
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
    TimeSpan? TelemetryAge,
    DateTimeOffset? LimitReadBackTime = null,
    double? RatedPowerW = null)
{
    /// <summary>The battery's mode as it reports it: one that will not charge (Discharge) is offered no charging room.</summary>
    public Devices.BatteryMode? BatteryMode { get; init; }

    /// <summary>The house load as the balance inverter + grid − battery, W (never below 0); null while one is unknown.</summary>
    public double? LoadW => InverterW + GridW - BatteryW is { } load ? Math.Max(0, load) : null;
}

/// <summary>The decision of one tick.</summary>
/// <param name="Reason">Why it limits, or does not.</param>
/// <param name="Costly">Whether exporting would cost money (or prices are unknown).</param>
/// <param name="TargetW">The power the inverter should produce, W.</param>
/// <param name="TargetPct">The same as a percentage of rated power.</param>
/// <param name="LimitPct">The smoothed limit the guard wants in force.</param>
/// <param name="WritePct">The limit to write now, or null when nothing is to be written.</param>
/// <param name="Urgent">A fail-safe or state change: written at once, past the command gate's rate limit.</param>
/// <param name="Reassert">The inverter was read back (after the last confirmed write) holding another limit than the one
/// written: the limit is written again at once, even though the gate remembers it as acknowledged.</param>
public sealed record GuardDecision(GuardReason Reason, bool Costly, double TargetW, double TargetPct, double LimitPct, double? WritePct, bool Urgent,
    bool Reassert = false)
{
    /// <summary>Which way the inverter is limited: its grid export limit or its active power limit.</summary>
    public ExportLimitMethod LimitBy { get; init; } = ExportLimitMethod.PowerLimit;

    /// <summary>With <see cref="ExportLimitMethod.ExportLimit"/>: the export limit wanted in force, W.</summary>
    public double? ExportLimitW { get; init; }

    /// <summary>With <see cref="ExportLimitMethod.ExportLimit"/>: the export limit to write now, W, or null.</summary>
    public double? WriteExportW { get; init; }
}

/// <summary>The controller's memory between ticks.</summary>
public sealed class GuardState
{
    /// <summary>The owner's threshold set while running (the ThresholdPerKwh setting); null = the configured one.</summary>
    public double? ThresholdPerKwh { get; set; }

    /// <summary>The owner paused the guard until then (the PauseHours setting): the limit is lifted meanwhile.</summary>
    public DateTimeOffset? PausedUntil { get; set; }

    public double Integral { get; set; }
    public double ProbeW { get; set; }
    public bool Full { get; set; }
    public int ProbeWaitSamples { get; set; }
    public int ProbeQuietSamples { get; set; }
    public double? LastPct { get; set; }
    public double? WrittenPct { get; set; }

    /// <summary>When the ordinary writes of the last hour were made (fail-safes and state changes are not counted).</summary>
    public Queue<DateTimeOffset> OrdinaryWrites { get; } = new();

    /// <summary>The export limit the inverter confirmed last, W; null when unknown.</summary>
    public double? WrittenExportW { get; set; }
    public DateTimeOffset LastWrite { get; set; } = DateTimeOffset.MinValue;

    /// <summary>When the device confirmed the last write; read-backs of readings taken after it must match it.</summary>
    public DateTimeOffset? WriteConfirmedAt { get; set; }

    /// <summary>The last write failed: the limit in force is unknown, and integrating would wind up against a deaf inverter.</summary>
    public bool WriteFailing { get; set; }
    public DateTimeOffset? WrittenOnTelemetry { get; set; }
    public GuardReason? LastReason { get; set; }
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
/// smoothing or write gating. While the owner has paused the guard it lifts the limit (100 %) and does nothing else. A full battery that discharges is allowed a small export instead of being drained.
/// </summary>
public static class ExportGuardController
{
    private const int MaxProbeWaitSamples = 32;

    /// <summary>The sample period the integral gain is counted for, s, whatever the telemetry's age.</summary>
    public const double IntegralSampleSeconds = 10;

    public static GuardDecision Decide(GuardInputs input, ExportGuardOptions o, GuardState state)
    {
        var pricesKnown = input.FeedInPerKwh is not null && input.PriceAge <= o.PricesStaleAfter;
        var costly = !pricesKnown || input.FeedInPerKwh < (state.ThresholdPerKwh ?? o.ThresholdPerKwh);
        var rated = input.RatedPowerW is > 0 and var known ? known : 0;
        var telemetryFresh = input.TelemetryAge <= o.StaleAfter && input.GridW is not null && input.BatteryW is not null && input.InverterW is not null && rated > 0;

        GuardReason reason;
        double target;
        var urgent = false;
        var paused = state.PausedUntil is { } until && input.Now < until;
        if (!costly || paused)
        {
            (reason, target) = (paused ? GuardReason.Paused : GuardReason.ExportAllowed, rated);
            state.Integral = 0;
            state.LastTick = null;
        }
        else if (!telemetryFresh)
        {
            (reason, target, urgent) = (GuardReason.TelemetryStale, 0, true);
            state.Integral = 0;
        }
        else if (input.TelemetryTime == state.LastTelemetry && state.Last is { Reason: GuardReason.Limiting or GuardReason.PricesStale } held)
        {
            // The same (late) sample again: reacting twice to it would double the correction. Hold until new data.
            var reassert = Drifted(input, state);
            return held with
            {
                Reason = pricesKnown ? GuardReason.Limiting : GuardReason.PricesStale, WritePct = reassert ? state.WrittenPct : null, Urgent = reassert, Reassert = reassert,
            };
        }
        else
        {
            reason = pricesKnown ? GuardReason.Limiting : GuardReason.PricesStale;
            var dt = state.LastTick is { } last ? Math.Clamp((input.Now - last).TotalSeconds, 0, 60) : 0;
            if (state.LastTick is null)
            {
                state.ProbeW = Math.Min(o.AutoChargeW, o.AutoChargeMaxW);
            }
            state.LastTick = input.Now;
            state.LastTelemetry = input.TelemetryTime;
            var grid = input.GridW!.Value;
            var battery = input.BatteryW!.Value;
            var soc = input.SocPct ?? 100;
            var load = input.LoadW!.Value;

            // Room for the battery: what it takes now plus headroom, at most AutoChargeMaxW: a probe that starts at
            // AutoChargeW when limiting begins, grows while nothing is exported and gives back what was.
            var full = state.Full = soc >= o.AutoChargeBelowSocPct || (state.Full && soc >= o.AutoChargeBelowSocPct - 1)
                || input.BatteryMode == Devices.BatteryMode.Discharge;
            var charging = Math.Max(0, battery);
            var room = charging;
            if (!full)
            {
                ProbeFurther(state, Math.Max(0, -grid - o.DeadbandW), o);
                room = charging + state.ProbeW;
            }
            // The battery covering the house while PV is held back is a deficit like grid import. While the battery
            // can still absorb, a small export is caught by it; the import bias matters once it cannot.
            var deficit = Math.Max(0, -battery);
            var bias = full ? o.ImportBiasW : 0;
            var allowance = 0.0;
            if (full && battery <= -50)
            {
                // Full and discharging: accept a small export rather than drain the battery into the house.
                (bias, allowance, deficit) = (0, Math.Min(300, -battery), 0);
            }
            var error = grid + deficit - bias;
            var feedForward = load + room + allowance;
            // The feed-forward holds this sample's grid power already (load = inverter + grid − battery): feed-forward − bias
            // alone corrects the whole error at once, which overshoots on late telemetry. A share (gain) of the error is
            // corrected per sample instead: export costs money, a deficit only opportunity, so export twice as hard (at most
            // all of it).
            var gain = error < 0 ? Math.Min(1, 2 * o.Kp) : o.Kp;
            var unclamped = feedForward - bias - (1 - gain) * error + state.Integral;
            // Anti-windup: no integrating past the limits, nor upward while the inverter is below its limit (the sun, not
            // the limit, holds it back: a higher limit would not help now and would let the next sunny spell export).
            var limitW = (input.LimitReadBackPct ?? state.WrittenPct ?? 100) / 100 * rated;
            var sunLimited = input.InverterW!.Value < limitW - Math.Max(100, 0.03 * rated);
            var saturated = ((unclamped >= rated || sunLimited) && error > 0) || (unclamped <= 0 && error < 0);
            if (Math.Abs(error) > o.DeadbandW && !saturated && !state.WriteFailing && dt > 0)
            {
                // Once per new sample, as if samples came every IntegralSampleSeconds: late telemetry must not grow the step.
                state.Integral = Math.Clamp(state.Integral + o.Ki * error * IntegralSampleSeconds, -rated, rated);
            }
            target = feedForward - bias - (1 - gain) * error + state.Integral;
        }
        target = Math.Clamp(target, 0, rated);
        var rawPct = paused ? 100 : rated > 0 ? Math.Round(target / rated * 100) : costly ? 0 : 100;

        // Starting or ending limiting, and leaving the fail-safe, are transitions: written at once and never counted.
        var stateChanged = state.LastReason is { } before
            && (before.Lifts() != reason.Lifts() || (before == GuardReason.TelemetryStale && reason != GuardReason.TelemetryStale));
        var pct = urgent || stateChanged || state.LastPct is null || (costly && rawPct < state.LastPct)
            ? rawPct
            : Math.Round(state.LastPct.Value * o.LimitSmoothing + rawPct * (1 - o.LimitSmoothing));
        state.LastPct = pct;
        state.LastReason = reason;

        // Ordinary writes need new telemetry, a real change, and time since the last write; urgent ones need only a change.
        var changed = state.WrittenPct is not { } written || Math.Abs(written - pct) >= Math.Max(o.MinPctStep, 1e-9) || (urgent && written != pct);
        var newTelemetry = input.TelemetryTime != state.WrittenOnTelemetry || !costly;
        // At most MaxWritesPerHour ordinary writes in any hour (the limit often lives in non-volatile memory). Cutting an
        // export that costs money may spend them as fast as MinWriteInterval allows; anything else (giving curtailed PV
        // back) waits its share of the hour, so it cannot use up what a later export needs.
        while (state.OrdinaryWrites.Count > 0 && input.Now - state.OrdinaryWrites.Peek() >= TimeSpan.FromHours(1))
        {
            state.OrdinaryWrites.Dequeue();
        }
        var cutsExport = costly && input.GridW < -o.DeadbandW && pct < (state.WrittenPct ?? 100);
        var spacing = cutsExport ? o.MinWriteInterval : TimeSpan.FromHours(1.0 / o.MaxWritesPerHour);
        var timeOk = state.OrdinaryWrites.Count < o.MaxWritesPerHour
            && input.Now - state.LastWrite >= (spacing > o.MinWriteInterval ? spacing : o.MinWriteInterval);
        var write = changed && (urgent || stateChanged || (newTelemetry && timeOk));
        var drifted = Drifted(input, state);
        state.Last = new GuardDecision(reason, costly, target, rawPct, pct, write || drifted ? pct : null, urgent || stateChanged || drifted, drifted);
        return state.Last;
    }

    /// <summary>
    /// The decision where the inverter has its own grid export limit: 0 W while exporting is costly (or prices are
    /// unknown), the rated power (no limit) otherwise or while paused. The inverter holds it on its own meter, so late
    /// telemetry needs no loop here and the limit is written only when it changes: at each price transition.
    /// </summary>
    public static GuardDecision DecideExportLimit(GuardInputs input, ExportGuardOptions o, GuardState state)
    {
        var pricesKnown = input.FeedInPerKwh is not null && input.PriceAge <= o.PricesStaleAfter;
        var costly = !pricesKnown || input.FeedInPerKwh < (state.ThresholdPerKwh ?? o.ThresholdPerKwh);
        var rated = input.RatedPowerW is > 0 and var known ? known : 0;
        var paused = state.PausedUntil is { } until && input.Now < until;
        var reason = paused ? GuardReason.Paused : !costly ? GuardReason.ExportAllowed : pricesKnown ? GuardReason.Limiting : GuardReason.PricesStale;
        var limiting = costly && !paused;
        double? exportW = limiting ? 0 : rated > 0 ? rated : null; // lifting needs the rating; unknown: nothing to write yet
        var write = exportW is not null && state.WrittenExportW != exportW;
        state.LastReason = reason;
        state.Integral = 0;
        state.Last = new GuardDecision(reason, costly, rated, 100, 100, null, write)
        {
            LimitBy = ExportLimitMethod.ExportLimit, ExportLimitW = exportW, WriteExportW = write ? exportW : null,
        };
        return state.Last;
    }


    /// <summary>
    /// True when the inverter, read after the last confirmed write, holds another limit than was written (set from outside,
    /// or reset by a reboot after a grid blip): what the guard holds is no longer in force.
    /// </summary>
    public static bool Drifted(GuardInputs input, GuardState state) =>
        state.WrittenPct is { } written && input.LimitReadBackPct is { } readBack && !state.WriteFailing
        && input.LimitReadBackTime > state.WriteConfirmedAt && Math.Abs(readBack - written) >= 1;

    // The probe offers the battery a step more per new sample while nothing is exported and gives back what was. A
    // battery at its own limit (tapering near full) turns each step into export, so after a step ends in export the
    // probe waits before stepping again, twice as long after each such step (up to MaxProbeWaitSamples), and waits
    // less again once steps are taken without export.
    private static void ProbeFurther(GuardState state, double exported, ExportGuardOptions o)
    {
        if (exported > 0)
        {
            state.ProbeW = Math.Max(0, state.ProbeW - exported);
            state.ProbeWaitSamples = Math.Clamp(state.ProbeWaitSamples * 2, 1, MaxProbeWaitSamples);
            state.ProbeQuietSamples = 0;
            return;
        }
        if (++state.ProbeQuietSamples <= state.ProbeWaitSamples)
        {
            return;
        }
        state.ProbeW = Math.Min(o.AutoChargeMaxW, state.ProbeW + o.ChargeProbeStepW);
        if (state.ProbeQuietSamples > 2 * state.ProbeWaitSamples)
        {
            state.ProbeWaitSamples /= 2;
        }
    }

    /// <summary>Remembers a write the device confirmed at <paramref name="confirmedAt"/> (the tick's time when not given).</summary>
    public static void Written(GuardState state, GuardInputs input, double pct, DateTimeOffset? confirmedAt = null)
    {
        if (state.Last is { Urgent: false })
        {
            state.OrdinaryWrites.Enqueue(input.Now);
        }
        state.WrittenPct = pct;
        state.LastWrite = input.Now;
        state.WrittenOnTelemetry = input.TelemetryTime;
        state.WriteConfirmedAt = confirmedAt ?? input.Now;
        state.WriteFailing = false;
    }

    /// <summary>
    /// Remembers a write that failed: the limit in force is unknown, so the next decision writes whatever it wants, and the
    /// integral stays frozen until a write lands (an inverter that cannot be told must not wind the controller up).
    /// </summary>
    public static void WriteFailed(GuardState state)
    {
        state.WrittenPct = null;
        state.WriteFailing = true;
    }
}
