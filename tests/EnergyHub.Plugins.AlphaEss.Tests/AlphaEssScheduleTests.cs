using System.Text.Json;
using EnergyHub.Devices;

namespace EnergyHub.Plugins.AlphaEss.Tests;

/// <summary>Battery modes as AlphaESS's charge and discharge windows (15-minute grid, at most 23:45, 00:00–00:00 = off).</summary>
public sealed class AlphaEssScheduleTests
{
    private static readonly DateTime Day = new(2025, 6, 10);
    private static readonly TimeSpan TwoHours = TimeSpan.FromHours(2);

    [TestCase("13:07", 80.0, "13:00", "15:00", "00:00", "00:00", 80, TestName = "A charge starts at the current quarter hour")]
    [TestCase("22:00", 90.4, "22:00", "23:45", "00:00", "00:00", 90, TestName = "A window ending at midnight ends at the last quarter")]
    [TestCase("23:10", 100.0, "23:00", "23:45", "00:00", "01:00", 100, TestName = "A window across midnight goes on in the second window")]
    [TestCase("04:00", 5.0, "04:00", "06:00", "00:00", "00:00", 10, TestName = "The target is at least the API's 10 percent")]
    public void A_grid_charge_is_a_window_from_now_with_the_target_as_batHighCap(string at, double target, string from1, string to1, string from2, string to2, int cap)
    {
        var local = Day + TimeSpan.Parse(at, System.Globalization.CultureInfo.InvariantCulture);

        var (charge, discharge) = AlphaEssSchedule.For(BatteryMode.ChargeFromGrid, target, local, TwoHours, 15);

        Assert.That(charge, Is.EqualTo(new AlphaEssChargeConfig(true, from1, to1, from2, to2, cap)));
        Assert.That(discharge.CtrDis, Is.False, "the house may still use the battery outside the charge");
        Assert.That(AlphaEssSchedule.ModeOf(charge, discharge, local), Is.EqualTo(BatteryMode.ChargeFromGrid));
    }

    [Test]
    public void Without_a_target_the_charge_runs_to_full()
    {
        var (charge, _) = AlphaEssSchedule.For(BatteryMode.ChargeFromGrid, null, Day.AddHours(2), TwoHours, 10);
        Assert.That(charge.BatHighCapPct, Is.EqualTo(100));
    }

    [Test]
    public void Hold_is_discharge_control_without_a_window_and_Auto_is_neither_and_both_keep_the_discharge_floor()
    {
        var local = Day.AddHours(18);
        var (holdCharge, hold) = AlphaEssSchedule.For(BatteryMode.Hold, null, local, TwoHours, 15);
        var (autoCharge, auto) = AlphaEssSchedule.For(BatteryMode.Auto, null, local, TwoHours, 15);

        Assert.That((holdCharge.GridCharge, hold.CtrDis, hold.BatUseCapPct), Is.EqualTo((false, true, 15)));
        Assert.That((autoCharge.GridCharge, auto.CtrDis, auto.BatUseCapPct), Is.EqualTo((false, false, 15)));
        Assert.That(AlphaEssSchedule.ModeOf(holdCharge, hold, local), Is.EqualTo(BatteryMode.Hold));
        Assert.That(AlphaEssSchedule.ModeOf(autoCharge, auto, local), Is.EqualTo(BatteryMode.Auto));
    }

    [Test]
    public void A_discharge_into_the_grid_cannot_be_ordered()
    {
        Assert.That(() => AlphaEssSchedule.For(BatteryMode.Discharge, null, Day, TwoHours, 10), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [TestCase("23:30", 90, TestName = "Across midnight: 15 min to 23:45, the gap to midnight, then window 2 to 01:00")]
    [TestCase("00:30", 30, TestName = "After midnight: the rest of window 2")]
    [TestCase("01:00", 0, TestName = "After the window: nothing")]
    public void The_time_a_charge_has_left_counts_a_window_across_midnight_as_one(string at, int minutes)
    {
        var charge = new AlphaEssChargeConfig(true, "23:00", "23:45", "00:00", "01:00", 90);
        Assert.That(AlphaEssSchedule.ChargeLeft(charge, Day + TimeSpan.Parse(at, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(TimeSpan.FromMinutes(minutes)));
    }

    [Test]
    public void The_recorded_configuration_parses_and_a_body_has_the_recorded_request_shape()
    {
        var fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        var charge = AlphaEssSchedule.ParseCharge(AlphaEssApi.Data(File.ReadAllText(Path.Combine(fixtures, "getChargeConfigInfo.json"))));
        var discharge = AlphaEssSchedule.ParseDischarge(AlphaEssApi.Data(File.ReadAllText(Path.Combine(fixtures, "getDisChargeConfigInfo.json"))));
        var request = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixtures, "updateChargeConfigInfo_request.json"))).RootElement;

        Assert.That(charge, Is.EqualTo(new AlphaEssChargeConfig(true, "01:00", "05:00", "00:00", "00:00", 90)));
        Assert.That(discharge, Is.EqualTo(new AlphaEssDischargeConfig(true, "16:00", "23:45", "00:00", "00:00", 10)));
        Assert.That(AlphaEssSchedule.ModeOf(charge, discharge, Day.AddHours(3)), Is.EqualTo(BatteryMode.ChargeFromGrid));
        Assert.That(AlphaEssSchedule.ModeOf(charge, discharge, Day.AddHours(12)), Is.EqualTo(BatteryMode.Hold), "discharge control with no window at noon");
        Assert.That(AlphaEssSchedule.ModeOf(charge, discharge, Day.AddHours(17)), Is.EqualTo(BatteryMode.Auto));
        var body = JsonDocument.Parse(AlphaEssSchedule.Body(request.GetProperty("sysSn").GetString()!, charge)).RootElement;
        Assert.That(JsonElement.DeepEquals(body, request), Is.True, $"{body} has the shape of {request}");
    }
}
