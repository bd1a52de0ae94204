using EnergyHub.Readings;
using EnergyHub.Services.SurplusDistributor;

namespace EnergyHub.Services.Tests;

/// <summary>A wallbox with nothing to charge gives its surplus allowance up (es-ESS ESS-39), as a table over time.</summary>
public sealed class CarFullDetectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_car_that_is_complete_gone_or_takes_nothing_for_two_minutes_while_allowed_gets_no_allowance()
    {
        var detector = new CarFullDetector();
        (int At, EvCarState Car, double PowerW, double GrantedW, string? Expected)[] table =
        [
            (0, EvCarState.Connected, 0, 0, null),                  // not allowed anything yet: nothing to judge
            (10, EvCarState.Connected, 0, 1380, null),              // allowed, idle: the two minutes start
            (129, EvCarState.Charging, 20, 1380, null),             // still within them
            (131, EvCarState.Charging, 20, 1380, "it is full"),     // two minutes without power while allowed
            (200, EvCarState.Charging, 0, 0, "it is full"),         // stays full while it gets nothing
            (260, EvCarState.Charging, 2000, 0, null),              // draws again (a departure timer, a heater)
            (270, EvCarState.Complete, 0, 1380, "reports the car complete"),
            (280, EvCarState.Disconnected, 0, 1380, "no car is plugged in"),
            (290, EvCarState.Connected, 0, 1380, null),             // a new car: judged afresh
        ];
        foreach (var (at, car, powerW, grantedW, expected) in table)
        {
            var why = detector.NothingToCharge("ev", new EvChargerReading(car, powerW, 6, 1), grantedW, T0.AddSeconds(at));
            Assert.That(why, expected is null ? Is.Null : Does.Contain(expected), $"t = {at} s");
        }
        Assert.That(detector.NothingToCharge("heater", null, 2000, T0), Is.Null, "a consumer that is not a charger is not judged");
    }
}
