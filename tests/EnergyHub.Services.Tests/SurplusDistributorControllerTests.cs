using EnergyHub.Services.SurplusDistributor;

namespace EnergyHub.Services.Tests;

/// <summary>The surplus as one cycle counts it: export, PV held back by a limit, what the consumers were given and the battery's charge.</summary>
public sealed class SurplusDistributorControllerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static SurplusCycle Cycle(double gridW, double headroomW, double batteryW = 0) =>
        new SurplusDistributorController(ReservationRule.Parse("0"), marginW: 0).Decide(T0,
            new SurplusInputs(gridW, batteryW, SocPct: null, BatteryAcceptW: double.PositiveInfinity,
                [new SurplusConsumerState(new SurplusRequest("heater", 50, 2000, 2000), 0, HoldTimes.None)]) { PvHeadroomW = headroomW });

    [TestCase(-2500, 0, 2500, 2000, TestName = "Exporting 2500 W: the heater gets its 2000 W")]
    [TestCase(0, 2500, 2500, 2000, TestName = "A curtailing guard holds 2500 W back and nothing is exported: the same surplus")]
    [TestCase(0, 1500, 1500, 0, TestName = "1500 W held back is not enough for a 2000 W switch")]
    [TestCase(500, 2500, 2000, 2000, TestName = "Importing 500 W with 2500 W held back: 2000 W")]
    public void Pv_held_back_by_a_limit_is_surplus_as_much_as_export(double gridW, double headroomW, double surplusW, double heaterW)
    {
        var cycle = Cycle(gridW, headroomW);
        Assert.That((cycle.SurplusW, cycle.Allowances["heater"].W), Is.EqualTo((surplusW, heaterW)), cycle.Allowances["heater"].Why);
    }
}
