using EnergyHub.Services.ExportGuard;

namespace EnergyHub.Services.Tests;

public sealed class ExportGuardControllerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static ExportGuardOptions Options(double kp = 0.5, double bias = 50, double smoothing = 0.2, double ki = 0.02, int writesPerHour = 360) =>
        new()
        {
            Inverter = "roof", Battery = "battery", GridMeter = "grid", Prices = "prices", Kp = kp, Ki = ki, ImportBiasW = bias, LimitSmoothing = smoothing,
            MaxWritesPerHour = writesPerHour,
        };

    private static GuardInputs Inputs(double seconds = 0, double? feedIn = -0.05, double priceAge = 30, double grid = 0, double battery = 0,
        double soc = 50, double inverter = 1000, double telemetryAge = 5, double? telemetryAt = null) =>
        new(T0.AddSeconds(seconds), feedIn, TimeSpan.FromSeconds(priceAge), grid, battery, soc, inverter, 100,
            T0.AddSeconds(telemetryAt ?? seconds), TimeSpan.FromSeconds(telemetryAge), RatedPowerW: 5000);

    [Test]
    public void Feed_in_above_the_threshold_lets_the_inverter_produce_fully()
    {
        var d = ExportGuardController.Decide(Inputs(feedIn: 0.08), Options(), new GuardState());
        Assert.That((d.Reason, d.Costly, d.TargetPct, d.WritePct), Is.EqualTo((GuardReason.ExportAllowed, false, 100.0, (double?)100)));
    }

    [Test]
    public void An_inverter_whose_rated_power_is_not_known_yet_is_held_at_0_pct_while_export_is_costly_and_100_pct_otherwise()
    {
        var costly = ExportGuardController.Decide(Inputs(grid: -2000, inverter: 3000) with { RatedPowerW = null }, Options(), new GuardState());
        var free = ExportGuardController.Decide(Inputs(feedIn: 0.08) with { RatedPowerW = null }, Options(), new GuardState());

        Assert.That((costly.Reason, costly.WritePct), Is.EqualTo((GuardReason.TelemetryStale, (double?)0)));
        Assert.That((free.Reason, free.WritePct), Is.EqualTo((GuardReason.ExportAllowed, (double?)100)));
    }

    [Test]
    public void A_pause_lifts_a_limit_at_once_and_the_guard_limits_again_when_it_ends()
    {
        var state = new GuardState();
        var limiting = ExportGuardController.Decide(Inputs(grid: -2000, inverter: 3000), Options(), state);
        ExportGuardController.Written(state, Inputs(grid: -2000, inverter: 3000), limiting.WritePct!.Value);
        state.PausedUntil = T0.AddHours(2);

        var paused = ExportGuardController.Decide(Inputs(seconds: 1, grid: -2000, inverter: 3000, telemetryAge: 600), Options(), state);
        ExportGuardController.Written(state, Inputs(seconds: 1), paused.WritePct!.Value);
        var resumed = ExportGuardController.Decide(Inputs(seconds: 7201, grid: -2000, inverter: 5000), Options(), state);

        Assert.That(limiting.TargetPct, Is.LessThan(100));
        Assert.That((paused.Reason, paused.WritePct, paused.Urgent), Is.EqualTo((GuardReason.Paused, (double?)100, true)), "lifted at once, even with stale telemetry");
        Assert.That((resumed.Reason, resumed.WritePct < 100), Is.EqualTo((GuardReason.Limiting, true)));
    }

    [Test]
    public void Stale_prices_with_fresh_telemetry_still_limit()
    {
        var d = ExportGuardController.Decide(Inputs(priceAge: 3600, grid: -2000, inverter: 3000), Options(), new GuardState());
        Assert.That(d.Reason, Is.EqualTo(GuardReason.PricesStale));
        Assert.That(d.Costly, Is.True);
        Assert.That(d.TargetPct, Is.LessThan(100));
    }

    [Test]
    public void Stale_prices_and_stale_telemetry_go_to_zero_within_one_tick()
    {
        var state = new GuardState();
        var first = ExportGuardController.Decide(Inputs(feedIn: 0.1), Options(), state);
        ExportGuardController.Written(state, Inputs(feedIn: 0.1), first.WritePct!.Value);

        var d = ExportGuardController.Decide(Inputs(seconds: 1, feedIn: null, telemetryAge: 120, telemetryAt: 0), Options(), state);

        Assert.That((d.Reason, d.WritePct, d.Urgent), Is.EqualTo((GuardReason.TelemetryStale, (double?)0, true)), "no smoothing, no gating, no waiting");
    }

    [TestCase(1.0, 2000)] // gain 1: the whole correction in one sample
    [TestCase(0.5, 2000)] // export is corrected twice as hard: 2 × 0.5 = all of it
    [TestCase(0.25, 2150)] // half of the 300 W export corrected: 2300 − 150
    public void Load_800_plus_charge_1200_with_300_export_targets_what_they_take_less_the_uncorrected_export(double kp, double expectedW)
    {
        // The load already counts the grid sample (2300 − 300 − 1200 = 800 W): counting the error again would target 1700 W
        // and import 300 W; the feed-forward alone is dead-beat, and a gain below 1 moves only part of the way from 2300 W.
        var d = ExportGuardController.Decide(Inputs(grid: -300, battery: 1200, soc: 99.6, inverter: 2300), Options(kp: kp, bias: 0), new GuardState());
        Assert.That(d.TargetW, Is.EqualTo(expectedW).Within(1e-9));
        Assert.That(d.TargetPct, Is.EqualTo(Math.Round(expectedW / 5000 * 100)));
    }

    [TestCase(-2000)] // exporting
    [TestCase(1500)] // importing
    public void The_integral_grows_by_the_same_step_per_new_sample_however_late_the_sample_is(double grid)
    {
        // Two guards see the same error on new samples, one every 10 s and one every 60 s: their integrals must agree.
        var fast = new GuardState();
        var slow = new GuardState();
        for (var i = 0; i < 3; i++)
        {
            // The inverter holds its 60 % limit (3000 W of 5000 W): the limit, not the sun, holds it back.
            ExportGuardController.Decide(Inputs(seconds: 10 * i, grid: grid, soc: 100, inverter: 3000) with { LimitReadBackPct = 60 }, Options(), fast);
            ExportGuardController.Decide(Inputs(seconds: 60 * i, grid: grid, soc: 100, inverter: 3000) with { LimitReadBackPct = 60 }, Options(), slow);
        }
        Assert.That(fast.Integral, Is.Not.Zero);
        Assert.That(slow.Integral, Is.EqualTo(fast.Integral).Within(1e-9));
    }

    [Test]
    public void A_full_battery_that_discharges_gets_a_small_export_instead_of_being_drained()
    {
        // House 1000 W, battery full and giving 400 W, inverter 600 W, grid 0.
        var d = ExportGuardController.Decide(Inputs(grid: 0, battery: -400, soc: 100, inverter: 600), Options(), new GuardState());
        Assert.That(d.TargetW, Is.EqualTo(1000 + 300).Within(1e-9), "load + 300 W allowance, no import bias");
    }

    [Test]
    public void Without_new_telemetry_nothing_is_written()
    {
        var state = new GuardState();
        var first = ExportGuardController.Decide(Inputs(grid: -1500, inverter: 3000), Options(), state);
        ExportGuardController.Written(state, Inputs(grid: -1500, inverter: 3000), first.WritePct!.Value);

        var same = ExportGuardController.Decide(Inputs(seconds: 30, grid: -900, inverter: 3000, telemetryAt: 0), Options(), state);

        Assert.That(same.WritePct, Is.Null, "the telemetry is the one the last write was based on");
    }

    [Test]
    public void Writes_are_rate_limited_and_sub_step_changes_are_not_written()
    {
        var options = Options(smoothing: 0, ki: 0);
        var state = new GuardState();
        var first = ExportGuardController.Decide(Inputs(grid: -1500, inverter: 3000), options, state);
        ExportGuardController.Written(state, Inputs(grid: -1500, inverter: 3000), first.WritePct!.Value);

        var soon = ExportGuardController.Decide(Inputs(seconds: 5, grid: -2500, inverter: 3000), options, state);
        var later = ExportGuardController.Decide(Inputs(seconds: 10, grid: -2500, inverter: 3000), options, state);
        ExportGuardController.Written(state, Inputs(seconds: 10, grid: -2500, inverter: 3000), later.WritePct!.Value);
        var tiny = ExportGuardController.Decide(Inputs(seconds: 20, grid: -2510, inverter: 3000), options, state);

        Assert.That(soon.WritePct, Is.Null, "5 s after the last write");
        Assert.That(later.WritePct, Is.Not.Null);
        Assert.That(tiny.WritePct, Is.Null, "a 10 W change is less than 1 %");
    }

    [Test]
    public void Ordinary_writes_are_spaced_to_at_most_max_writes_per_hour_but_a_fail_safe_is_not()
    {
        var options = Options(smoothing: 0, ki: 0, writesPerHour: 12); // one ordinary write per 5 minutes
        var state = new GuardState();
        var first = ExportGuardController.Decide(Inputs(grid: -1500, inverter: 3000), options, state);
        ExportGuardController.Written(state, Inputs(grid: -1500, inverter: 3000), first.WritePct!.Value);

        var within = ExportGuardController.Decide(Inputs(seconds: 290, grid: 1500, inverter: 3000), options, state);
        var failSafe = ExportGuardController.Decide(Inputs(seconds: 295, grid: 1500, inverter: 3000, telemetryAge: 600), options, state);
        ExportGuardController.Written(state, Inputs(seconds: 295), failSafe.WritePct!.Value);
        var recovered = ExportGuardController.Decide(Inputs(seconds: 300, grid: 1500, inverter: 0), options, state);
        ExportGuardController.Written(state, Inputs(seconds: 300, grid: 1500, inverter: 0), recovered.WritePct!.Value);

        var ordinary = ExportGuardController.Decide(Inputs(seconds: 310, grid: 1500, inverter: 2000), options, state);
        var spacedOut = ExportGuardController.Decide(Inputs(seconds: 610, grid: 1500, inverter: 2000), options, state);

        Assert.That(within.WritePct, Is.Null, "290 s after the last write");
        Assert.That((failSafe.WritePct, failSafe.Urgent), Is.EqualTo(((double?)0, true)), "the fail-safe is written at once");
        Assert.That((recovered.WritePct is not null, recovered.Urgent), Is.EqualTo((true, true)), "leaving the fail-safe is written at once too");
        Assert.That(ordinary.WritePct, Is.Null, "a raise 10 s later is ordinary: it waits its share of the hour");
        Assert.That(spacedOut.WritePct, Is.Not.Null, "5 minutes after");
    }

    [Test]
    public void Cutting_a_costly_export_may_spend_the_hours_writes_at_once_but_never_more_than_the_budget()
    {
        var options = Options(smoothing: 0, ki: 0, writesPerHour: 3);
        var state = new GuardState();
        ExportGuardController.Decide(Inputs(feedIn: 0.1), options, state); // export pays: 100 %
        var writes = new List<int>();
        var inverter = 5000.0;
        // The house's load falls by 300 W every 10 s sample while the battery is full, so each sample exports again.
        for (var t = 10; t <= 120; t += 10)
        {
            var load = 4300 - 30.0 * t;
            var input = Inputs(seconds: t, grid: load - inverter, soc: 100, inverter: inverter);
            var d = ExportGuardController.Decide(input, options, state);
            if (d.WritePct is { } pct)
            {
                ExportGuardController.Written(state, input, pct);
                writes.Add(t);
                inverter = pct / 100 * 5000;
            }
        }
        // Limiting starts at 10 s (a state change, not counted); three ordinary writes follow 10 s apart; then none this hour.
        Assert.That(writes, Is.EqualTo(new[] { 10, 20, 30, 40 }));
        Assert.That(state.OrdinaryWrites, Has.Count.EqualTo(3));
    }

    [Test]
    public void The_limit_moves_smoothly_toward_its_target()
    {
        var state = new GuardState();
        ExportGuardController.Decide(Inputs(feedIn: 0.1), Options(), state); // 100 %
        var d = ExportGuardController.Decide(Inputs(seconds: 10, grid: -300, battery: 1200, soc: 99.6, inverter: 2300), Options(kp: 1, bias: 0, ki: 0), state);
        Assert.That(d.TargetPct, Is.EqualTo(40), "house 800 W + battery 1200 W");
        Assert.That(d.WritePct, Is.EqualTo(40), "entering the costly state is a state change: written at once, not smoothed");
        // Importing 200 W: the house now takes 2100 + 200 − 1200 = 1100 W, with the battery's 1200 W that is 2300 W.
        var next = ExportGuardController.Decide(Inputs(seconds: 20, grid: 200, battery: 1200, soc: 99.6, inverter: 2100), Options(kp: 1, bias: 0, ki: 0), state);
        Assert.That(next.TargetPct, Is.EqualTo(46));
        Assert.That(next.WritePct, Is.EqualTo(Math.Round(40 * 0.2 + 46 * 0.8)), "a rise is smoothed");
    }

    [Test]
    public void A_battery_covering_the_house_while_pv_is_held_back_raises_the_limit()
    {
        // House 1000 W, inverter held at 600 W, the battery (not full) gives 400 W, grid 0.
        var d = ExportGuardController.Decide(Inputs(grid: 0, battery: -400, soc: 60, inverter: 600), Options(ki: 0), new GuardState());
        Assert.That(d.TargetW, Is.EqualTo(1000 + (1500 + 100) - (1 - 0.5) * 400).Within(1e-9),
            "load + the starting headroom and one probe step, less the part of the battery's deficit not corrected in this sample (1 − Kp)");
    }

    [Test]
    public void The_integral_does_not_wind_up_while_the_sun_not_the_limit_holds_the_inverter_back()
    {
        var state = new GuardState();
        var options = Options();
        // Clouds: the inverter makes 800 W under a 100 % limit, the battery covers the rest of a 2000 W house.
        for (var t = 0; t <= 300; t += 15)
        {
            var cloudy = Inputs(seconds: t, grid: 0, battery: -1200, soc: 60, inverter: 800) with { LimitReadBackPct = 100 };
            ExportGuardController.Decide(cloudy, options, state);
        }
        Assert.That(state.Integral, Is.Zero, "raising the limit cannot help while the sun holds the inverter back");

        // Where the inverter does follow the limit, the same deficit is integrated.
        var limited = new GuardState();
        for (var t = 0; t <= 300; t += 15)
        {
            ExportGuardController.Decide(Inputs(seconds: t, grid: 0, battery: -1200, soc: 60, inverter: 800) with { LimitReadBackPct = 16 }, options, limited);
        }
        Assert.That(limited.Integral, Is.GreaterThan(0));
    }

    [Test]
    public void After_a_probe_step_ends_in_export_the_probe_waits_longer_before_the_next()
    {
        var state = new GuardState();
        var options = Options();
        ExportGuardController.Decide(Inputs(seconds: 0, grid: 0, battery: 500, soc: 99), options, state);
        var start = state.ProbeW;
        ExportGuardController.Decide(Inputs(seconds: 15, grid: -400, battery: 500, soc: 99), options, state);
        Assert.That(state.ProbeW, Is.EqualTo(start - (400 - options.DeadbandW)).Within(1e-9), "the export beyond the deadband is given back");
        var afterExport = state.ProbeW;

        ExportGuardController.Decide(Inputs(seconds: 30, grid: 0, battery: 500, soc: 99), options, state);
        Assert.That(state.ProbeW, Is.EqualTo(afterExport), "one quiet sample is waited out");
        ExportGuardController.Decide(Inputs(seconds: 45, grid: 0, battery: 500, soc: 99), options, state);
        Assert.That(state.ProbeW, Is.EqualTo(afterExport + options.ChargeProbeStepW), "then it steps again");

        ExportGuardController.Decide(Inputs(seconds: 60, grid: -400, battery: 500, soc: 99), options, state);
        Assert.That(state.ProbeWaitSamples, Is.EqualTo(2), "a second step ending in export doubles the wait");
    }

    [Test]
    public void A_full_battery_stays_full_until_its_soc_drops_a_percent_below_the_threshold()
    {
        var state = new GuardState();
        var options = Options();
        ExportGuardController.Decide(Inputs(seconds: 0, soc: 99.6), options, state);
        Assert.That(state.Full, Is.True);
        ExportGuardController.Decide(Inputs(seconds: 15, soc: 98.8), options, state);
        Assert.That(state.Full, Is.True, "SOC noise just under the threshold does not offer charging room again");
        ExportGuardController.Decide(Inputs(seconds: 30, soc: 98.4), options, state);
        Assert.That(state.Full, Is.False);
    }

    [Test]
    public void While_export_is_costly_the_limit_goes_down_at_once_and_up_smoothly()
    {
        var options = Options(kp: 1, bias: 0, ki: 0);
        var state = new GuardState();
        ExportGuardController.Decide(Inputs(seconds: 0, grid: 0, battery: 0, soc: 99.6, inverter: 2000), options, state); // 40 %
        var down = ExportGuardController.Decide(Inputs(seconds: 15, grid: -1000, battery: 0, soc: 99.6, inverter: 2000), options, state);
        Assert.That(down.LimitPct, Is.EqualTo(down.TargetPct), "less export at once: no smoothing downward");
        var up = ExportGuardController.Decide(Inputs(seconds: 30, grid: 500, battery: 0, soc: 99.6, inverter: 1000), options, state);
        Assert.That(up.LimitPct, Is.EqualTo(Math.Round(down.LimitPct * 0.2 + up.TargetPct * 0.8)), "upward moves are smoothed");
    }

    [Test]
    public void A_limit_changed_behind_the_guards_back_is_reasserted_within_one_tick()
    {
        var state = new GuardState();
        var options = Options();
        // The fail-safe 0 % is written and confirmed at 0 s.
        var failSafe = ExportGuardController.Decide(Inputs(seconds: 0, telemetryAge: 120), options, state);
        ExportGuardController.Written(state, Inputs(seconds: 0), failSafe.WritePct!.Value, T0.AddSeconds(0.5));

        // A read taken before the write landed shows the old 100 %: not a drift.
        var before = ExportGuardController.Decide(Inputs(seconds: 5, telemetryAge: 120) with { LimitReadBackPct = 100, LimitReadBackTime = T0.AddSeconds(0.2) }, options, state);
        // The inverter rebooted: a read after the write shows 100 % again.
        var after = ExportGuardController.Decide(Inputs(seconds: 10, telemetryAge: 120) with { LimitReadBackPct = 100, LimitReadBackTime = T0.AddSeconds(9) }, options, state);
        // Holding it: a read agreeing with what was written is quiet again.
        ExportGuardController.Written(state, Inputs(seconds: 10), after.WritePct!.Value, T0.AddSeconds(10.5));
        var agreed = ExportGuardController.Decide(Inputs(seconds: 15, telemetryAge: 120) with { LimitReadBackPct = 0, LimitReadBackTime = T0.AddSeconds(14) }, options, state);

        Assert.That((failSafe.WritePct, before.WritePct, before.Reassert), Is.EqualTo(((double?)0, (double?)null, false)));
        Assert.That((after.WritePct, after.Reassert, after.Urgent), Is.EqualTo(((double?)0, true, true)), "written again at once, past dedupe and rate limits");
        Assert.That((agreed.WritePct, agreed.Reassert), Is.EqualTo(((double?)null, false)));
    }

    [Test]
    public void A_limit_drifting_while_limiting_on_an_unchanged_sample_is_reasserted_too()
    {
        var state = new GuardState();
        var options = Options();
        var first = ExportGuardController.Decide(Inputs(grid: -1500, inverter: 3000), options, state);
        ExportGuardController.Written(state, Inputs(grid: -1500, inverter: 3000), first.WritePct!.Value, T0.AddSeconds(1));

        var same = ExportGuardController.Decide(Inputs(seconds: 5, grid: -1500, inverter: 3000, telemetryAt: 0) with { LimitReadBackPct = 100, LimitReadBackTime = T0.AddSeconds(4) }, options, state);

        Assert.That((same.WritePct, same.Reassert), Is.EqualTo((first.WritePct, true)), "the held limit is written again, though the telemetry is the same sample");
    }

    [Test]
    public void While_writes_fail_the_integral_is_frozen_and_the_next_decision_writes()
    {
        var state = new GuardState();
        var options = Options();
        var first = ExportGuardController.Decide(Inputs(seconds: 0, grid: -1500, battery: 0, soc: 99.6, inverter: 3000) with { LimitReadBackPct = 60 }, options, state);
        ExportGuardController.WriteFailed(state);
        for (var t = 15; t <= 75; t += 15)
        {
            ExportGuardController.Decide(Inputs(seconds: t, grid: -1500, battery: 0, soc: 99.6, inverter: 3000) with { LimitReadBackPct = 60 }, options, state);
        }
        var frozen = state.Integral;
        var next = ExportGuardController.Decide(Inputs(seconds: 90, grid: -1500, battery: 0, soc: 99.6, inverter: 3000) with { LimitReadBackPct = 60 }, options, state);

        Assert.That(first.WritePct, Is.Not.Null);
        Assert.That(frozen, Is.Zero, "75 s of failed writes wound nothing up");
        Assert.That(next.WritePct, Is.Not.Null, "the limit in force is unknown: the wanted one is written without waiting for a change");
    }
}
