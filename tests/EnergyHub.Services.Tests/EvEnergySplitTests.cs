using EnergyHub.Readings;
using EnergyHub.Services.EvCharging;

namespace EnergyHub.Services.Tests;

/// <summary>The charged energy's split into PV and grid (pv-control PVC-18), per session and ever.</summary>
public sealed class EvEnergySplitTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void The_grid_s_import_up_to_the_charger_s_draw_is_from_the_grid_and_the_rest_from_pv()
    {
        var split = new EvEnergySplit(TimeSpan.FromMinutes(2));
        split.Add(T0, EvCarState.Charging, 4000, 1000, gridW: -500);           // base of the counter
        split.Add(T0.AddSeconds(30), EvCarState.Charging, 4000, 1100, gridW: -500); // exporting: all 100 Wh from PV
        split.Add(T0.AddSeconds(60), EvCarState.Charging, 4000, 1200, gridW: 1000); // a quarter imported
        split.Add(T0.AddSeconds(90), EvCarState.Charging, 4000, 1300, gridW: 6000); // more imported than the car draws: all grid
        Assert.That(split.Energy, Is.EqualTo(new EvEnergy(175, 125, 175, 125) { SessionChargingS = 90 }));
    }

    [Test]
    public void A_new_session_starts_when_the_car_is_plugged_in_again_or_the_charger_s_counter_drops()
    {
        var split = new EvEnergySplit(TimeSpan.FromMinutes(2));
        split.Add(T0, EvCarState.Charging, 4000, 1000, gridW: -5000);
        split.Add(T0.AddSeconds(30), EvCarState.Charging, 4000, 1200, gridW: -5000);
        split.Add(T0.AddSeconds(60), EvCarState.Disconnected, 0, 1200, gridW: -5000);
        split.Add(T0.AddSeconds(90), EvCarState.Connected, 0, 1200, gridW: -5000);
        Assert.That(split.Energy, Is.EqualTo(new EvEnergy(0, 0, 200, 0)), "plugged in again: the session starts from 0, the total goes on");
        split.Add(T0.AddSeconds(120), EvCarState.Charging, 4000, 50, gridW: 4000);
        Assert.That(split.Energy, Is.EqualTo(new EvEnergy(0, 50, 200, 50)), "the counter dropped: a new session of the 50 Wh it shows");
    }

    [TestCase(false, 200.0, 60.0, TestName = "Reset on connect: the last session's energy and charging time stay until the next car")]
    [TestCase(true, 0.0, 0.0, TestName = "Reset on disconnect: the session starts from 0 as the car leaves")]
    public void The_session_s_charging_time_counts_while_it_draws_and_starts_again_as_chosen(bool resetOnDisconnect, double sessionWh, double chargingS)
    {
        var split = new EvEnergySplit(TimeSpan.FromMinutes(2), resetOnDisconnect);
        split.Add(T0, EvCarState.Connected, 0, 1000, gridW: -5000);
        split.Add(T0.AddSeconds(30), EvCarState.Charging, 4000, 1000, gridW: -5000);   // 30 s waiting: not charging time
        split.Add(T0.AddSeconds(60), EvCarState.Charging, 4000, 1100, gridW: -5000);
        split.Add(T0.AddSeconds(90), EvCarState.Disconnected, 0, 1200, gridW: -5000);  // the last 30 s charging belong to it
        Assert.That((split.Energy.SessionPvWh, split.Energy.SessionChargingS, split.Energy.TotalPvWh), Is.EqualTo((sessionWh, chargingS, 200.0)));
        split.Add(T0.AddSeconds(120), EvCarState.Disconnected, 0, 1200, gridW: -5000);
        Assert.That(split.Energy.SessionChargingS, Is.EqualTo(chargingS), "an unplugged car adds nothing");
    }

    [Test]
    public void Without_a_counter_the_power_is_integrated_but_not_across_a_gap_and_an_unknown_grid_counts_as_grid()
    {
        var split = new EvEnergySplit(TimeSpan.FromMinutes(2));
        split.Add(T0, EvCarState.Charging, 3600, null, gridW: -4000);
        split.Add(T0.AddMinutes(1), EvCarState.Charging, 3600, null, gridW: -4000);   // 60 Wh from PV
        split.Add(T0.AddMinutes(10), EvCarState.Charging, 3600, null, gridW: -4000);  // 9 min gap: not counted
        split.Add(T0.AddMinutes(11), EvCarState.Charging, 3600, null, gridW: null);   // 60 Wh, grid unknown
        Assert.That(split.Energy, Is.EqualTo(new EvEnergy(60, 60, 60, 60) { SessionChargingS = 120 }), "two minutes of charging; the gap is not counted");
    }
}
