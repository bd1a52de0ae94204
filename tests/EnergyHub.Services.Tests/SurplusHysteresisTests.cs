using EnergyHub.Services.SurplusDistributor;

namespace EnergyHub.Services.Tests;

/// <summary>The hysteresis es-ESS lacked: a margin before a step is taken back, minimum on and off times.</summary>
public sealed class SurplusHysteresisTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly SurplusRequest Heater = new("heater", 10, 3000, 1000);

    private static IReadOnlyDictionary<string, AllowanceDecision> Step(SurplusHysteresis hysteresis, DateTimeOffset at, double surplusW, HoldTimes? hold = null) =>
        hysteresis.Decide(at, SurplusAllocator.Allocate(surplusW, 0, [Heater]), SurplusAllocator.Allocate(surplusW + hysteresis.MarginW, 0, [Heater]),
            _ => hold ?? HoldTimes.None);

    [Test]
    public void A_surplus_hovering_around_a_step_keeps_the_allowance_within_the_margin()
    {
        var hysteresis = new SurplusHysteresis(marginW: 300);
        var allowances = new[] { 2050, 1950, 2080, 1900, 2010, 1720, 1650 }
            .Select((surplus, i) => Step(hysteresis, T0.AddMinutes(i), surplus)["heater"].W).ToList();
        Assert.That(allowances, Is.EqualTo(new double[] { 2000, 2000, 2000, 2000, 2000, 2000, 1000 }), "1650 + 300 no longer carries 2000");

        var without = new SurplusHysteresis(marginW: 0);
        var swings = new[] { 2050, 1950, 2080, 1900 }.Select((surplus, i) => Step(without, T0.AddMinutes(i), surplus)["heater"].W);
        Assert.That(swings, Is.EqualTo(new double[] { 2000, 1000, 2000, 1000 }), "without a margin it swings a step every cycle");
    }

    [Test]
    public void A_consumer_switched_on_stays_on_for_its_min_on_time_and_off_for_its_min_off_time()
    {
        var hysteresis = new SurplusHysteresis(0);
        var hold = new HoldTimes(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5));

        Assert.That(Step(hysteresis, T0, 1000, hold)["heater"].W, Is.EqualTo(1000));
        var kept = Step(hysteresis, T0.AddMinutes(4), 0, hold)["heater"];
        Assert.That((kept.W, kept.Why), Is.EqualTo((1000.0, "kept on: on for 4 min of its MinOnTime 10 min")));
        Assert.That(Step(hysteresis, T0.AddMinutes(10), 0, hold)["heater"].W, Is.Zero);
        var held = Step(hysteresis, T0.AddMinutes(12), 1000, hold)["heater"];
        Assert.That((held.W, held.Why), Is.EqualTo((0.0, "held off: off for 2 min of its MinOffTime 5 min")));
        Assert.That(Step(hysteresis, T0.AddMinutes(15), 1000, hold)["heater"].W, Is.EqualTo(1000));
    }
}
