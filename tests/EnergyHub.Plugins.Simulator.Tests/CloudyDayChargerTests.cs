using EnergyHub.Plugins.Simulator.OffGrid;
using EnergyHub.Services.AxpertCharger;

namespace EnergyHub.Plugins.Simulator.Tests;

/// <summary>Issue 9's acceptance: on a replayed cloudy day the service finishes absorption, the firmware alone does not.</summary>
public sealed class CloudyDayChargerTests
{
    [Test]
    public void The_charger_service_finishes_absorption_on_a_cloudy_day_where_the_firmware_alone_does_not()
    {
        var firmware = CloudyDayReplay.Run(StartSoc);
        var controller = new AxpertChargerController(new AxpertChargerOptions { Battery = "axpert" });
        var reasons = new List<string>();
        var withService = CloudyDayReplay.Run(StartSoc, (now, bank) =>
        {
            var decision = controller.Step(new ChargerInputs(now, now, bank.VoltageV, bank.CurrentA, null));
            if (decision.Transition)
            {
                reasons.Add($"{now:HH:mm} {decision.Reason}");
            }
            return decision.FloatSetpointV;
        });

        TestContext.Out.WriteLine($"firmware alone: {firmware}");
        TestContext.Out.WriteLine($"with service:   {withService}");
        TestContext.Out.WriteLine("transitions: " + string.Join(", ", reasons));
        Assert.That(reasons, Has.Some.EndsWith("current_tapered"), "the service ends absorption because the current tapered");
        Assert.That(withService.MaxSocPct, Is.GreaterThan(FullSocPct));
        Assert.That(firmware.MaxSocPct, Is.LessThan(FullSocPct), "the firmware quit absorption when a cloud cut the current");
        Assert.That(withService.ChargedAh, Is.GreaterThan(firmware.ChargedAh));
        Assert.That(withService.FloatWrites, Is.LessThan(10), "a handful of PBFT writes a day, not a stream");
    }

    private const double StartSoc = 80;

    // The model's bank takes less than the 6.4 A end current at 58.4 V only above this SOC: 100 − 20 × 6.4 / (400 Ah / 4).
    private const double FullSocPct = 100 - 20 * 6.4 / 100;
}
