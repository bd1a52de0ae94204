using System.ComponentModel.DataAnnotations;
using EnergyHub.Services.AxpertCharger;

namespace EnergyHub.Services.Tests;

public sealed class AxpertChargerControllerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);

    private static AxpertChargerOptions Options(double tempComp = 0) => new()
    {
        Battery = "axpert", AbsorptionVoltageV = 58.4, FloatVoltageV = 52.8, EndCurrentA = 6.4, ReBulkVoltageV = 50.0,
        AverageWindow = TimeSpan.FromMinutes(5), MaxAbsorptionTime = TimeSpan.FromHours(2), TempCompMvPerCPerCell = tempComp,
    };

    /// <summary>Feeds one sample every 10 s from <paramref name="fromMinute"/> for <paramref name="minutes"/> and returns the last decision.</summary>
    private static ChargerDecision Run(AxpertChargerController controller, double fromMinute, double minutes, double volts, double amps,
        List<ChargerDecision>? all = null, double? temperature = null)
    {
        ChargerDecision? last = null;
        for (var s = 0.0; s < minutes * 60; s += 10)
        {
            var at = T0.AddMinutes(fromMinute).AddSeconds(s);
            last = controller.Step(new ChargerInputs(at, at, volts, amps, temperature));
            all?.Add(last);
        }
        return last!;
    }

    [Test]
    public void Bulk_holds_the_float_voltage_at_the_absorption_voltage_from_the_first_tick()
    {
        var d = new AxpertChargerController(Options()).Step(new ChargerInputs(T0, T0, 51.0, 40, null));
        Assert.That((d.Stage, d.FloatSetpointV, d.Reason), Is.EqualTo((ChargeStage.Bulk, 58.4, "hold_bulk")));
    }

    [Test]
    public void Absorption_begins_only_after_a_full_window_at_the_absorption_voltage()
    {
        var controller = new AxpertChargerController(Options());
        Run(controller, 0, 30, 55.0, 40);
        Assert.That(Run(controller, 30, 4, 58.3, 30).Stage, Is.EqualTo(ChargeStage.Bulk), "four minutes is less than the window");
        var all = new List<ChargerDecision>();
        Run(controller, 34, 2, 58.3, 30, all);
        var entered = all.Single(d => d.Transition);
        Assert.That((entered.Stage, entered.Reason, entered.FloatSetpointV), Is.EqualTo((ChargeStage.Absorption, "absorption_reached", 58.4)));
    }

    [Test]
    public void A_tapered_current_at_the_absorption_voltage_ends_absorption_with_the_real_float_voltage()
    {
        var controller = new AxpertChargerController(Options());
        Run(controller, 0, 10, 58.4, 30);
        Assert.That(controller.Stage, Is.EqualTo(ChargeStage.Absorption));
        Assert.That(Run(controller, 10, 30, 58.4, 12).Stage, Is.EqualTo(ChargeStage.Absorption), "12 A is above the 6.4 A end current");
        var all = new List<ChargerDecision>();
        var last = Run(controller, 40, 10, 58.4, 5, all);
        Assert.That(all.Count(d => d.Transition), Is.EqualTo(1));
        Assert.That(all.Single(d => d.Transition).Reason, Is.EqualTo("current_tapered"));
        Assert.That((last.Stage, last.FloatSetpointV), Is.EqualTo((ChargeStage.Float, 52.8)));
    }

    [Test]
    public void The_bulk_current_never_hides_the_taper_because_the_window_restarts_at_absorption()
    {
        var controller = new AxpertChargerController(Options());
        Run(controller, 0, 5.5, 58.4, 60);
        Assert.That(controller.Stage, Is.EqualTo(ChargeStage.Absorption));
        // A 30-minute average (the seed's) would still include 60 A samples here; ours sees only absorption.
        var d = Run(controller, 5.5, 5, 58.4, 4);
        Assert.That((d.Stage, d.Reason), Is.EqualTo((ChargeStage.Float, "current_tapered")));
    }

    [Test]
    public void Little_current_because_clouds_pulled_the_voltage_down_does_not_end_absorption()
    {
        var controller = new AxpertChargerController(Options());
        Run(controller, 0, 10, 58.4, 30);
        var d = Run(controller, 10, 60, 54.0, 3);
        Assert.That((d.Stage, d.FloatSetpointV), Is.EqualTo((ChargeStage.Absorption, 58.4)), "the firmware would quit here; the bank is not full");
        Assert.That(controller.AbsorbedFor, Is.LessThan(TimeSpan.FromMinutes(6)), "time below the absorption voltage does not count");
    }

    [Test]
    public void The_absorption_time_cap_counts_only_time_at_the_absorption_voltage()
    {
        var controller = new AxpertChargerController(Options());
        Run(controller, 0, 10, 58.4, 30);
        Run(controller, 10, 180, 54.0, 20);
        Assert.That(controller.Stage, Is.EqualTo(ChargeStage.Absorption));
        var all = new List<ChargerDecision>();
        Run(controller, 190, 130, 58.4, 20, all);
        var ended = all.Single(d => d.Transition);
        Assert.That((ended.Stage, ended.Reason), Is.EqualTo((ChargeStage.Float, "max_absorption_time")));
    }

    [Test]
    public void Float_returns_to_bulk_when_the_averaged_voltage_falls_below_the_rebulk_threshold()
    {
        var controller = new AxpertChargerController(Options());
        Run(controller, 0, 6, 58.4, 30);
        Run(controller, 6, 6, 58.4, 2);
        Assert.That(controller.Stage, Is.EqualTo(ChargeStage.Float));
        Assert.That(Run(controller, 12, 60, 50.5, -20).Stage, Is.EqualTo(ChargeStage.Float), "50.5 V is above the 50.0 V re-bulk threshold");
        var d = Run(controller, 72, 6, 49.8, -20);
        Assert.That((d.Stage, d.FloatSetpointV), Is.EqualTo((ChargeStage.Bulk, 58.4)));
    }

    [Test]
    public void Stale_battery_data_restores_the_real_float_voltage_once_and_restarts_in_bulk_when_it_returns()
    {
        var controller = new AxpertChargerController(Options());
        Run(controller, 0, 10, 58.4, 30);
        Assert.That(controller.Stage, Is.EqualTo(ChargeStage.Absorption));
        var sampleAt = T0.AddMinutes(10);
        var first = controller.Step(new ChargerInputs(sampleAt.AddMinutes(3), sampleAt, 58.4, 30, null));
        var second = controller.Step(new ChargerInputs(sampleAt.AddMinutes(4), sampleAt, 58.4, 30, null));
        Assert.That((first.Reason, first.FloatSetpointV, first.Transition), Is.EqualTo(("telemetry_stale", 52.8, true)));
        Assert.That((second.Reason, second.Transition), Is.EqualTo(("telemetry_stale", false)));
        var back = controller.Step(new ChargerInputs(sampleAt.AddMinutes(5), sampleAt.AddMinutes(5), 58.4, 30, null));
        Assert.That((back.Stage, back.Reason, back.FloatSetpointV, back.Transition), Is.EqualTo((ChargeStage.Bulk, "telemetry_back", 58.4, true)));
        Assert.That(controller.Step(new ChargerInputs(T0, null, null, null, null)).Reason, Is.EqualTo("telemetry_stale"), "no reading any more");
        Assert.That(new AxpertChargerController(Options()).Step(new ChargerInputs(T0, null, null, null, null)).Reason,
            Is.EqualTo(AxpertChargerController.WaitingForData), "before the first reading nothing is decided");
    }

    [Test]
    public void A_cold_bank_gets_higher_voltages_and_the_compensation_is_capped()
    {
        var controller = new AxpertChargerController(Options(tempComp: 4));
        Assert.That(controller.Compensation(15), Is.EqualTo(0.96).Within(1e-9), "10 °C × 4 mV × 24 cells");
        Assert.That(controller.Compensation(-40), Is.EqualTo(2.4).Within(1e-9), "capped at 0.1 V per cell");
        Assert.That(controller.Compensation(null), Is.Zero);
        Assert.That(controller.Step(new ChargerInputs(T0, T0, 52, 30, 15)).FloatSetpointV, Is.EqualTo(59.4));
        Assert.That(new AxpertChargerController(Options()).Compensation(0), Is.Zero, "off by default");
    }

    [TestCase(LeadAcidType.Agm, 48, 59.0, 52.8, 50.0, "AbsorptionVoltageV")]
    [TestCase(LeadAcidType.Flooded, 48, 58.4, 58.4, 50.0, "FloatVoltageV")]
    [TestCase(LeadAcidType.Flooded, 48, 58.4, 52.8, 53.0, "ReBulkVoltageV")]
    [TestCase(LeadAcidType.Gel, 24, 29.2, 27.0, 25.0, "AbsorptionVoltageV")]
    [TestCase(LeadAcidType.Flooded, 36, 43.8, 40.0, 38.0, "NominalVoltageV")]
    public void Limits_are_checked_against_the_battery_type(LeadAcidType type, double nominal, double absorption, double floatV, double reBulk, string rejected)
    {
        var options = new AxpertChargerOptions
        {
            Battery = "axpert", BatteryType = type, NominalVoltageV = nominal, AbsorptionVoltageV = absorption, FloatVoltageV = floatV, ReBulkVoltageV = reBulk,
        };
        var problems = options.Validate(new ValidationContext(options)).ToList();
        Assert.That(problems.SelectMany(p => p.MemberNames), Does.Contain(rejected));
    }

    [Test]
    public void The_defaults_and_a_12_volt_agm_bank_are_valid()
    {
        var defaults = new AxpertChargerOptions { Battery = "axpert" };
        var agm12 = new AxpertChargerOptions { Battery = "b", BatteryType = LeadAcidType.Agm, NominalVoltageV = 12, AbsorptionVoltageV = 14.4, FloatVoltageV = 13.6, ReBulkVoltageV = 12.6 };
        Assert.That(defaults.Validate(new ValidationContext(defaults)), Is.Empty);
        Assert.That(agm12.Validate(new ValidationContext(agm12)), Is.Empty);
    }
}
