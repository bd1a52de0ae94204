using EnergyHub.Services.ExportGuard;

namespace EnergyHub.Services.Tests;

public sealed class ExportGuardControllerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static ExportGuardOptions Options(double kp = 0.5, double bias = 50, double smoothing = 0.2, double ki = 0.02) =>
        new() { Inverter = "roof", Battery = "battery", GridMeter = "grid", Prices = "prices", RatedPowerW = 5000, Kp = kp, Ki = ki, ImportBiasW = bias, LimitSmoothing = smoothing };

    private static GuardInputs Inputs(double seconds = 0, double? feedIn = -0.05, double priceAge = 30, double grid = 0, double battery = 0,
        double soc = 50, double inverter = 1000, double telemetryAge = 5, double? telemetryAt = null) =>
        new(T0.AddSeconds(seconds), feedIn, TimeSpan.FromSeconds(priceAge), grid, battery, soc, inverter, 100,
            T0.AddSeconds(telemetryAt ?? seconds), TimeSpan.FromSeconds(telemetryAge));

    [Test]
    public void Feed_in_above_the_threshold_lets_the_inverter_produce_fully()
    {
        var d = ExportGuardController.Decide(Inputs(feedIn: 0.08), Options(), new GuardState());
        Assert.That((d.Reason, d.Costly, d.TargetPct, d.WritePct), Is.EqualTo(("export_allowed", false, 100.0, (double?)100)));
    }

    [Test]
    public void Stale_prices_with_fresh_telemetry_still_limit()
    {
        var d = ExportGuardController.Decide(Inputs(priceAge: 3600, grid: -2000, inverter: 3000), Options(), new GuardState());
        Assert.That(d.Reason, Is.EqualTo("prices_stale"));
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

        Assert.That((d.Reason, d.WritePct, d.Urgent), Is.EqualTo(("telemetry_stale", (double?)0, true)), "no smoothing, no gating, no waiting");
    }

    [Test]
    public void Load_800_plus_charge_1200_with_300_export_targets_1700_w()
    {
        var d = ExportGuardController.Decide(Inputs(grid: -300, battery: 1200, soc: 99.6, inverter: 2300), Options(kp: 1, bias: 0), new GuardState());
        Assert.That(d.TargetW, Is.EqualTo(1700).Within(1e-9));
        Assert.That(d.TargetPct, Is.EqualTo(34));
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
    public void The_limit_moves_smoothly_toward_its_target()
    {
        var state = new GuardState();
        ExportGuardController.Decide(Inputs(feedIn: 0.1), Options(), state); // 100 %
        var d = ExportGuardController.Decide(Inputs(seconds: 10, grid: -300, battery: 1200, soc: 99.6, inverter: 2300), Options(kp: 1, bias: 0, ki: 0), state);
        Assert.That(d.TargetPct, Is.EqualTo(34));
        Assert.That(d.WritePct, Is.EqualTo(34), "entering the costly state is a state change: written at once, not smoothed");
        var next = ExportGuardController.Decide(Inputs(seconds: 20, grid: -100, battery: 1200, soc: 99.6, inverter: 2100), Options(kp: 1, bias: 0, ki: 0), state);
        Assert.That(next.TargetPct, Is.EqualTo(38));
        Assert.That(next.WritePct, Is.EqualTo(Math.Round(34 * 0.2 + 38 * 0.8)));
    }
}
