using EnergyHub.Commands;
using EnergyHub.Services.AxpertCharger;
using EnergyHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Services.Tests;

public sealed class AxpertChargerServiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);

    private static AxpertChargerService Service() => new(new AxpertChargerOptions { Battery = "axpert" }, NullLogger.Instance);

    private static Func<SiteBuilder, SiteBuilder> BankAt(double volts) => site => site.Battery("axpert", 90, 1000, voltageV: volts, currentA: 20);

    [Test]
    public async Task Writes_only_when_the_setpoint_changes_and_restores_float_on_stop()
    {
        var harness = new ServiceHarness(T0);
        var service = Service();

        await harness.RunAsync(service,
        [
            Cycle.At(0, site => site).Sends(),
            Cycle.At(10, BankAt(55.0)).Sends(new ExpectedCommand("axpert", "FloatVoltageV", 58.4, IsSafety: false)),
            Cycle.At(20, BankAt(55.1)).Sends(),
        ]);
        var stop = await harness.StopAsync(service, TimeSpan.FromSeconds(30), BankAt(55.0));

        Assert.That(stop.Commands.Select(ServiceHarness.Describe), Is.EqualTo(new[] { "FloatVoltageV 52.8 to 'axpert' (safety)" }),
            "stop restores the real float voltage as a fail-safe");
    }

    [Test]
    public async Task A_write_that_did_not_take_is_tried_again_on_the_next_tick()
    {
        var harness = new ServiceHarness(T0);
        harness.Commands.Answer = _ => new CommandResult(CommandStatus.Failed, "no answer");

        await harness.RunAsync(Service(),
        [
            Cycle.At(10, BankAt(55.0)).Sends(new ExpectedCommand("axpert", "FloatVoltageV", 58.4)),
            Cycle.At(20, BankAt(55.0)).Sends(new ExpectedCommand("axpert", "FloatVoltageV", 58.4)),
        ]);
    }
}
