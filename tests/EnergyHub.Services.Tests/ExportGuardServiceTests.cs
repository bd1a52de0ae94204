using EnergyHub.Services.ExportGuard;
using EnergyHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Services.Tests;

public sealed class ExportGuardServiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static ExportGuardService Service(ServiceHarness harness, double? ratedOverrideW = null) => new(
        new ExportGuardOptions
        {
            Inverter = "roof", Battery = "battery", GridMeter = "battery", Prices = "prices",
            RatedPowerW = ratedOverrideW, RatedPowerReason = ratedOverrideW is null ? "" : "test",
        },
        NullLogger.Instance, harness.Clock);

    // Midday, exporting 300 W while the battery takes 1000 W: the house uses 3000 − 300 − 1000 = 1700 W.
    private static Func<SiteBuilder, SiteBuilder> Exporting(double feedIn, TimeSpan? batteryAge = null) => site => site
        .Prices("prices", feedIn)
        .Inverter("roof", acPowerW: 3000, ratedPowerW: 6000, limitPct: 100)
        .Battery("battery", socPct: 50, powerW: 1000, age: batteryAge)
        .GridMeter("battery", powerW: -300, age: batteryAge);

    [Test]
    public async Task Limits_on_costly_export_fails_safe_on_stale_telemetry_lifts_when_export_pays_and_lifts_on_stop()
    {
        var harness = new ServiceHarness(T0);
        var service = Service(harness);

        await harness.RunAsync(service,
        [
            // Feed-forward: load 1700 W + the battery's 1000 W + a probe of 1500 W less the 250 W exported beyond the deadband
            // = 3950 W. The load already counts the 300 W exported (inverter + grid − battery), so with gain 1 on export the
            // feed-forward is the whole correction: 66 % of the roof's 6000 W.
            Cycle.At(0, Exporting(-0.05)).Decides("limiting").Sends(new ExpectedCommand("roof", "ActivePowerLimitPct", 66)),
            Cycle.At(5, Exporting(-0.05, batteryAge: TimeSpan.FromSeconds(60))).Decides("telemetry_stale")
                .Sends(new ExpectedCommand("roof", "ActivePowerLimitPct", 0, IsSafety: true)),
            Cycle.At(10, Exporting(0.10)).Decides("export_allowed").Sends(new ExpectedCommand("roof", "ActivePowerLimitPct", 100, IsSafety: true)),
            Cycle.At(15, Exporting(0.10)).Decides("export_allowed").Sends(),
        ]);
        var stop = await harness.StopAsync(service, TimeSpan.FromSeconds(20), Exporting(0.10));

        Assert.That(stop.Commands.Select(ServiceHarness.Describe), Is.EqualTo(new[] { "ActivePowerLimitPct 100 to 'roof' (safety)" }));
    }

    [Test]
    public async Task An_inverter_with_its_own_export_limit_is_written_at_each_price_transition_and_nothing_in_between()
    {
        var harness = new ServiceHarness(T0);
        var service = Service(harness);
        Func<SiteBuilder, SiteBuilder> Site(double feedIn, TimeSpan? batteryAge = null) => site => Exporting(feedIn, batteryAge)(site).WithExportLimit("roof");

        await harness.RunAsync(service,
        [
            // Costly: the active power limit is lifted for good and export held at 0 W by the inverter on its own meter.
            Cycle.At(0, Site(-0.05)).Decides("limiting")
                .Sends(new ExpectedCommand("roof", "ActivePowerLimitPct", 100, IsSafety: true), new ExpectedCommand("roof", "ExportLimitW", 0, IsSafety: true)),
            Cycle.At(5, Site(-0.05)).Decides("limiting").Sends(),
            // Late telemetry does not matter: the inverter closes the loop itself.
            Cycle.At(10, Site(-0.05, batteryAge: TimeSpan.FromSeconds(60))).Decides("limiting").Sends(),
            Cycle.At(15, Site(0.10)).Decides("export_allowed").Sends(new ExpectedCommand("roof", "ExportLimitW", 6000, IsSafety: true)),
            Cycle.At(20, Site(0.10)).Decides("export_allowed").Sends(),
        ]);
        var stop = await harness.StopAsync(service, TimeSpan.FromSeconds(25), Site(0.10));

        Assert.That(harness.Decisions.Decisions.Where(d => d.Decision != "stopped").Select(d => d.As<ExportGuardDecision>().LimitBy).Distinct(), Is.EqualTo(new[] { "ExportLimit" }), "each decision says how it limits");
        Assert.That(stop.Commands.Select(ServiceHarness.Describe),
            Is.EqualTo(new[] { "ExportLimitW 6000 to 'roof' (safety)", "ActivePowerLimitPct 100 to 'roof' (safety)" }), "both limits lifted on stop");
    }

    [Test]
    public async Task Limit_by_power_limit_keeps_the_guards_own_loop_even_where_the_inverter_has_an_export_limit()
    {
        var harness = new ServiceHarness(T0);
        var service = new ExportGuardService(new ExportGuardOptions
        {
            Inverter = "roof", Battery = "battery", GridMeter = "battery", Prices = "prices", LimitBy = ExportLimitMethod.PowerLimit,
        }, NullLogger.Instance, harness.Clock);

        await harness.RunAsync(service,
            [Cycle.At(0, site => Exporting(-0.05)(site).WithExportLimit("roof")).Decides("limiting").Sends(new ExpectedCommand("roof", "ActivePowerLimitPct", 66))]);
    }

    [Test]
    public async Task Rated_power_comes_from_the_inverter_unless_overridden_with_a_reason()
    {
        var overridden = new ServiceHarness(T0);

        // The same 3950 W is 79 % of a 5000 W override.
        await overridden.RunAsync(Service(overridden, ratedOverrideW: 5000),
            [Cycle.At(0, Exporting(-0.05)).Sends(new ExpectedCommand("roof", "ActivePowerLimitPct", 79))]);
        Assert.That(overridden.Decisions.Decisions.Single().As<ExportGuardDecision>().RatedPowerW, Is.EqualTo(5000.0));
        Assert.That(OptionsCheck.Problems(new ExportGuardOptions { Inverter = "roof", Battery = "b", GridMeter = "b", Prices = "p", RatedPowerW = 5000 }).Single(),
            Does.StartWith("RatedPowerW: RatedPowerW overrides the inverter's own rated power and needs RatedPowerReason"));
    }

    [Test]
    public void A_row_that_does_not_do_what_it_expects_is_named_with_what_it_did()
    {
        var harness = new ServiceHarness(T0);

        var mismatch = Assert.ThrowsAsync<CycleMismatchException>(() => harness.RunAsync(Service(harness),
            [Cycle.At(0, Exporting(-0.05)).Sends(new ExpectedCommand("roof", "ActivePowerLimitPct", 100))]));

        Assert.That(mismatch!.Message, Is.EqualTo("row 1 (t = 0 s): expected to send [ActivePowerLimitPct 100 to 'roof'] but sent [ActivePowerLimitPct 66 to 'roof'], decided [limiting]"));
    }
}
