using EnergyHub.Readings;
using EnergyHub.Services.EvCharging;

namespace EnergyHub.Services.Tests;

/// <summary>pv-control's ChargeController rules (seeds §2.5), threshold by threshold, and what it lacked.</summary>
public sealed class EvChargeControllerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly EvChargeSettings Now = new() { OnOffDelay = TimeSpan.Zero, PhaseSwitchDelay = TimeSpan.Zero };

    // A site exporting what is available (no battery), the car plugged in and waiting.
    private static EvInputs Site(double availableW, bool allowed = false, int phasesIn = 1, int phasesOut = 0, double chargerW = 0, int second = 0) =>
        new(T0.AddSeconds(second), -(availableW - chargerW), 0, null, EvCarState.Connected, allowed, allowed ? 6 : 0, phasesIn, phasesOut, chargerW);

    private static EvChargeController Controller(EvMode mode, EvChargeSettings? settings = null, EvPhaseMode phases = EvPhaseMode.Auto,
        EvPriority priority = EvPriority.HomeBattery, bool canSwitch = false) => new(settings ?? Now, mode, phases, priority, canSwitch);

    [TestCase(EvMode.PvOnly, EvPriority.HomeBattery, 1580, "PV only, the home battery first: 1580 W available on 1 phase(s): on at 6 A")]
    [TestCase(EvMode.PvAll, EvPriority.Car, 900, "PV + grid, the car first: 900 W available on 1 phase(s): on at 6 A")]
    public void A_decision_says_its_mode_and_priority_in_words(EvMode mode, EvPriority priority, double availableW, string why) =>
        Assert.That(Controller(mode, priority: priority).Decide(Site(availableW)).Why, Is.EqualTo(why));

    [TestCase(1579, false, null, TestName = "PvOnly off: 1579 W stays off (on at 6 x 230 + 200 = 1580 W)")]
    [TestCase(1580, false, 6.0, TestName = "PvOnly off: 1580 W goes on at 6 A")]
    [TestCase(1380, true, 6.0, TestName = "PvOnly charging: 1380 W is floor(6.0 + 0.1) = 6 A")]
    [TestCase(1350, true, null, TestName = "PvOnly charging: 1350 W is floor(5.87 + 0.1) = 5 A, below 6: off")]
    [TestCase(3679, true, 16.0, TestName = "PvOnly charging: 3679 W is floor(16.0 + 0.1) = 16 A")]
    [TestCase(9000, true, 16.0, TestName = "PvOnly charging: never past 16 A")]
    public void Pv_only_thresholds_and_rounding(double availableW, bool allowed, double? current)
    {
        var decision = Controller(EvMode.PvOnly).Decide(Site(availableW, allowed));
        Assert.That((decision.CurrentA, decision.Stop), Is.EqualTo((current, allowed && current is null)), decision.Why);
    }

    [TestCase(0, 1580, 6.0, TestName = "PvOnly with nothing exported: 1580 W held back by a limit goes on at 6 A")]
    [TestCase(-1000, 2580, 6.0, TestName = "PvOnly importing 1000 W with 2580 W held back: 1580 W available, on at 6 A")]
    [TestCase(0, 1579, null, TestName = "PvOnly with nothing exported: 1579 W held back stays off")]
    public void Pv_held_back_by_a_limit_counts_as_available_like_export(double exportW, double headroomW, double? current)
    {
        var decision = Controller(EvMode.PvOnly).Decide(Site(exportW) with { PvHeadroomW = headroomW });
        Assert.That((decision.CurrentA, decision.Stop), Is.EqualTo((current, false)), decision.Why);
    }

    [TestCase(499, false, null, TestName = "PvAll off: 499 W stays off (on at 500 W)")]
    [TestCase(500, false, 6.0, TestName = "PvAll off: 500 W goes on at 6 A, topped up from the grid")]
    [TestCase(299, true, null, TestName = "PvAll charging: 299 W is off (off below max(500 - 200, 100) = 300 W)")]
    [TestCase(300, true, 6.0, TestName = "PvAll charging: 300 W stays on at 6 A")]
    [TestCase(1400, true, 6.0, TestName = "PvAll charging: 1400 W is ceil(6.09 - 0.1) = 6 A")]
    [TestCase(1410, true, 7.0, TestName = "PvAll charging: 1410 W is ceil(6.13 - 0.1) = 7 A")]
    public void Pv_all_thresholds_and_rounding(double availableW, bool allowed, double? current)
    {
        var decision = Controller(EvMode.PvAll).Decide(Site(availableW, allowed));
        Assert.That((decision.CurrentA, decision.Stop), Is.EqualTo((current, allowed && current is null)), decision.Why);
    }

    [TestCase(EvMode.PvOnly, 1, 4339, null, TestName = "PvOnly on 1 phase: 4339 W stays on 1")]
    [TestCase(EvMode.PvOnly, 1, 4340, 3, TestName = "PvOnly on 1 phase: 4340 W (3 x 6 x 230 + 200) switches to 3")]
    [TestCase(EvMode.PvOnly, 3, 4140, null, TestName = "PvOnly on 3 phases: 4140 W stays on 3")]
    [TestCase(EvMode.PvOnly, 3, 4139, 1, TestName = "PvOnly on 3 phases: below 4140 W (3 x 6 x 230) switches to 1")]
    [TestCase(EvMode.PvAll, 1, 3679, null, TestName = "PvAll on 1 phase: 3679 W stays on 1")]
    [TestCase(EvMode.PvAll, 1, 3680, 3, TestName = "PvAll on 1 phase: 3680 W (16 x 230) switches to 3")]
    [TestCase(EvMode.PvAll, 3, 3480, null, TestName = "PvAll on 3 phases: 3480 W stays on 3")]
    [TestCase(EvMode.PvAll, 3, 3479, 1, TestName = "PvAll on 3 phases: below 3480 W (16 x 230 - 200) switches to 1")]
    public void Auto_phases_switch_at_pv_controls_thresholds_while_not_charging(EvMode mode, int phasesIn, double availableW, int? switchTo)
    {
        var decision = Controller(mode, canSwitch: true).Decide(Site(availableW, phasesIn: phasesIn));
        Assert.That(decision.Phases, Is.EqualTo(switchTo), decision.Why);
    }

    [Test]
    public void A_charging_car_is_stopped_before_its_phases_are_switched_then_resumed()
    {
        var controller = Controller(EvMode.PvOnly, canSwitch: true);
        var stop = controller.Decide(Site(5000, allowed: true, phasesIn: 1, phasesOut: 1, chargerW: 3680));
        var switched = controller.Decide(Site(5000, allowed: false, phasesIn: 1, phasesOut: 0, second: 30));
        var resumed = controller.Decide(Site(5000, allowed: false, phasesIn: 3, phasesOut: 0, second: 60));

        Assert.That((stop.Stop, stop.Phases), Is.EqualTo((true, (int?)null)), "never switch under load");
        Assert.That((switched.Phases, switched.CurrentA), Is.EqualTo(((int?)3, (double?)null)));
        Assert.That(resumed.CurrentA, Is.EqualTo(7), "floor(5000 / 230 / 3 + 0.1) = 7 A on three phases");
    }

    [Test]
    public void A_passing_cloud_switches_no_phases_the_wish_must_last_the_phase_switch_delay()
    {
        var controller = Controller(EvMode.PvOnly, Now with { PhaseSwitchDelay = TimeSpan.FromMinutes(5) }, canSwitch: true);
        var sunny = Enumerable.Range(0, 4).Select(i => controller.Decide(Site(5000, phasesIn: 1, second: i * 30)).Phases).ToList();
        var cloud = controller.Decide(Site(3000, phasesIn: 1, second: 120)).Phases;
        var lasting = Enumerable.Range(5, 11).Select(i => controller.Decide(Site(5000, phasesIn: 1, second: i * 30)).Phases).ToList();

        Assert.That(sunny.Concat([cloud]), Is.All.Null, "four minutes of sun, then a cloud: no switch");
        Assert.That(lasting.IndexOf(3), Is.EqualTo(10), "switched once 5000 W had lasted 5 minutes after the cloud (at 450 s)");
    }

    [Test]
    public void The_on_off_wish_must_last_four_cycles_while_the_current_follows_at_once()
    {
        var controller = Controller(EvMode.PvOnly, Now with { OnOffDelay = TimeSpan.FromSeconds(120) });
        var on = Enumerable.Range(0, 4).Select(i => controller.Decide(Site(2000, second: i * 30)).CurrentA).ToList();
        var following = controller.Decide(Site(2500, allowed: true, chargerW: 1380, second: 120)).CurrentA;
        var off = Enumerable.Range(5, 5).Select(i => controller.Decide(Site(500, allowed: true, chargerW: 1380, second: i * 30))).ToList();

        Assert.That(on, Is.EqualTo(new double?[] { null, null, null, 8 }), "120 s counted down by 30 s cycles: on in the fourth");
        Assert.That(following, Is.EqualTo(10), "floor(2500 / 230 + 0.1) at once");
        Assert.That(off.Select(d => d.Stop), Is.EqualTo(new[] { false, false, false, true, false }), "off in the fourth cycle");
        Assert.That(off.Take(3).Select(d => d.CurrentA), Is.All.EqualTo(6), "meanwhile at the minimum current");
    }

    [Test]
    public void Off_and_max_apply_once_and_hand_over_to_manual_which_shows_the_chargers_state()
    {
        var off = Controller(EvMode.Off);
        var max = Controller(EvMode.Max);
        Assert.That(off.Decide(Site(0, allowed: true)).Stop, Is.True);
        Assert.That((off.DesiredMode, off.Decide(Site(0, allowed: false)).Mode), Is.EqualTo((EvMode.Manual, EvMode.Off)));
        Assert.That(max.Decide(Site(0)).CurrentA, Is.EqualTo(16));
        Assert.That((max.DesiredMode, max.ChosenMode), Is.EqualTo((EvMode.Manual, EvMode.Max)), "the page goes on showing the owner's Max");
        Assert.That(max.Decide(Site(0, allowed: true) with { OfferedCurrentA = 16 }).Mode, Is.EqualTo(EvMode.Max));
        Assert.That(max.Decide(Site(0, allowed: true) with { OfferedCurrentA = 10 }).Mode, Is.EqualTo(EvMode.Manual));
    }

    [Test]
    public void Five_minutes_unplugged_in_a_pv_mode_is_off_and_plugging_in_starts_the_mode_on_connect()
    {
        var controller = Controller(EvMode.PvOnly, Now with { ModeOnConnect = EvMode.PvAll });
        var modes = Enumerable.Range(0, 11).Select(i => controller.Decide(Site(0, second: i * 30) with { Car = EvCarState.Disconnected }).Mode).ToList();
        Assert.That(modes.IndexOf(EvMode.Off), Is.EqualTo(9), "300 s counted down by ten 30 s cycles");
        Assert.That(controller.Decide(Site(600, second: 330)).Mode, Is.EqualTo(EvMode.PvAll), "a car plugged in while Off starts PvAll");
    }

    [Test]
    public void Priority_decides_whether_the_home_batterys_charging_goes_to_the_car_and_auto_has_a_hysteresis()
    {
        // 1000 W exported while the home battery charges with 1000 W.
        EvInputs Charging(double? soc, int second = 0) => Site(1000, second: second) with { BatteryW = 1000, SocPct = soc };
        Assert.That(Controller(EvMode.PvOnly, priority: EvPriority.Car).Decide(Charging(80)).CurrentA, Is.EqualTo(8), "2000 W for the car");
        Assert.That(Controller(EvMode.PvOnly, priority: EvPriority.HomeBattery).Decide(Charging(80)).CurrentA, Is.Null, "1000 W is below 1580 W");
        var discharging = Site(2000) with { BatteryW = -500, SocPct = 80 };
        Assert.That(Controller(EvMode.PvOnly, priority: EvPriority.Car).Decide(discharging).CurrentA, Is.Null, "the battery never feeds the car: 1500 W");

        var auto = Controller(EvMode.PvOnly, priority: EvPriority.Auto);
        var soc = new[] { 49.0, 50, 49, 48.1, 47.9 };
        var currents = soc.Select((s, i) => auto.Decide(Charging(s, i * 30)).CurrentA is null ? "battery" : "car").ToList();
        Assert.That(currents, Is.EqualTo(new[] { "battery", "car", "car", "car", "battery" }), "to the car at 50 %, back only below 48 %");
    }

    [Test]
    public void A_stale_grid_meter_stops_charging_in_a_pv_mode_and_charging_resumes_when_it_is_back()
    {
        var controller = Controller(EvMode.PvOnly);
        var stale = controller.Decide(Site(3000, allowed: true, chargerW: 2000) with { GridW = null });
        var back = controller.Decide(Site(3000, allowed: false, second: 30));
        Assert.That((stale.Stop, stale.Why), Is.EqualTo((true, "no fresh grid reading: charging stopped until it is back")));
        Assert.That(back.CurrentA, Is.EqualTo(13));
    }

    [Test]
    public void A_phase_error_stops_charging_and_sends_the_phases_again_once_then_holds_until_it_clears()
    {
        var controller = Controller(EvMode.PvOnly, canSwitch: true);
        var error = Site(2000, allowed: true, phasesOut: 1, chargerW: 1380) with { ChargerError = "Phase" };
        var first = controller.Decide(error);
        var second = controller.Decide(error with { Now = error.Now.AddSeconds(30), Allowed = false, PhasesOut = 0, ChargerW = 0 });
        var cleared = controller.Decide(Site(2000, second: 60));
        Assert.That((first.Stop, first.Phases, first.Reset), Is.EqualTo((true, (int?)1, true)), first.Why);
        Assert.That((second.Stop, second.Phases, second.Reset, second.CurrentA), Is.EqualTo((false, (int?)null, false, (double?)null)), second.Why);
        Assert.That(second.Why, Does.Contain("persists after one reset"));
        Assert.That(cleared.CurrentA, Is.EqualTo(8), cleared.Why);
    }
}
