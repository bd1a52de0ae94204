using EnergyHub.Services.SurplusDistributor;

namespace EnergyHub.Services.Tests;

/// <summary>es-ESS's surplus assignment, its README sequence, and the defects it had, fixed.</summary>
public sealed class SurplusAllocatorTests
{
    private static readonly SurplusRequest Ev = new("ev", Priority: 35, Request: 11_000, StepSize: 250, Minimum: 1365, PriorityShift: 1);
    private static readonly SurplusRequest Heater = new("heater", Priority: 40, Request: 6000, StepSize: 1000, PriorityShift: 5);

    [Test]
    public void The_readme_sequence_of_an_ev_and_a_heater_is_granted_in_exactly_the_documented_order()
    {
        var allocation = SurplusAllocator.Allocate(4365, 0, [Ev, Heater]);

        // es-ESS README: EV +1365 (35); EV +250 at 36.0001, 37.0002, 38.0003, 39.0004; Heater +1000 (40);
        // EV 40.0005 … 44.0009; Heater (45.0001); EV 45.0010.
        var expected = new (string, double, double)[]
        {
            ("ev", 1365, 35), ("ev", 250, 36.0001), ("ev", 250, 37.0002), ("ev", 250, 38.0003), ("ev", 250, 39.0004),
            ("heater", 1000, 40), ("ev", 250, 40.0005), ("ev", 250, 41.0006), ("ev", 250, 42.0007), ("ev", 250, 43.0008),
        };
        Assert.That(allocation.Grants.Select(g => (g.Key, g.W, Math.Round(g.Priority, 4))), Is.EqualTo(expected));
        Assert.That(allocation.RemainingW, Is.Zero);

        var longer = SurplusAllocator.Allocate(1365 + 250 * 10 + 2000, 0, [Ev, Heater]).Grants.Skip(10).Select(g => (g.Key, Math.Round(g.Priority, 4)));
        Assert.That(longer, Is.EqualTo(new[] { ("ev", 44.0009), ("heater", 45.0001), ("ev", 45.001) }));
    }

    [Test]
    public void Equal_settings_take_turns()
    {
        var a = new SurplusRequest("a", 10, 3000, 500, PriorityShift: 1);
        var b = new SurplusRequest("b", 10, 3000, 500, PriorityShift: 1);
        Assert.That(SurplusAllocator.Allocate(2000, 0, [a, b]).Grants.Select(g => g.Key), Is.EqualTo(new[] { "a", "b", "a", "b" }));
    }

    [Test]
    public void The_reservation_is_kept_for_the_battery_but_an_ignore_reservation_consumer_may_use_it()
    {
        var pump = new SurplusRequest("pump", 10, 800, 800);
        var boiler = new SurplusRequest("boiler", 20, 1500, 1500, IgnoreBatReservation: true);

        var allocation = SurplusAllocator.Allocate(2000, 1000, [pump, boiler]);

        Assert.That(allocation.Allowances["pump"], Is.EqualTo(800), "800 fits 2000 - 1000");
        Assert.That(allocation.Allowances["boiler"], Is.Zero, "1500 > 1200 left, reservation or not");
        Assert.That(SurplusAllocator.Allocate(2400, 1000, [pump, boiler]).Allowances["boiler"], Is.EqualTo(1500), "1500 of the 1600 left, out of the reservation");
    }

    [Test]
    public void Ignoring_the_reservation_does_not_jump_the_queue()
    {
        var first = new SurplusRequest("first", 10, 1000, 1000);
        var late = new SurplusRequest("late", 50, 1000, 1000, IgnoreBatReservation: true);
        Assert.That(SurplusAllocator.Allocate(1000, 0, [late, first]).Allowances, Is.EqualTo(new Dictionary<string, double> { ["late"] = 0, ["first"] = 1000 }));
    }

    [Test]
    public void An_ignore_reservation_consumers_minimum_must_fit_not_its_step()
    {
        // es-ESS tested the overhead against the step on this path: a 100 W step let a 1400 W minimum through on 500 W.
        var ev = new SurplusRequest("ev", 10, 4000, 100, Minimum: 1400, IgnoreBatReservation: true);
        Assert.That(SurplusAllocator.Allocate(500, 0, [ev]).Allowances["ev"], Is.Zero);
        Assert.That(SurplusAllocator.Allocate(1400, 0, [ev]).Allowances["ev"], Is.EqualTo(1400));
    }

    [Test]
    public void A_step_equal_to_the_surplus_is_granted_and_nothing_beyond_the_request()
    {
        var heater = new SurplusRequest("heater", 10, 2500, 1000);
        Assert.That(SurplusAllocator.Allocate(1000, 0, [heater]).Allowances["heater"], Is.EqualTo(1000), "es-ESS's strict < refused this");
        Assert.That(SurplusAllocator.Allocate(9000, 0, [heater]).Allowances["heater"], Is.EqualTo(2500), "es-ESS gave 3000: a step past the request");
    }

    [Test]
    public void A_consumer_whose_request_is_below_its_minimum_or_the_budget_gets_nothing_and_the_next_one_is_served()
    {
        var ev = new SurplusRequest("ev", 10, 1000, 230, Minimum: 1380);
        var plug = new SurplusRequest("plug", 20, 300, 300);
        var allocation = SurplusAllocator.Allocate(1200, 0, [ev, plug]);
        Assert.That((allocation.Allowances["ev"], allocation.Allowances["plug"], allocation.RemainingW), Is.EqualTo((0.0, 300.0, 900.0)));
    }

    [Test]
    public void No_surplus_no_grants()
    {
        Assert.That(SurplusAllocator.Allocate(-500, 0, [Ev, Heater]).Allowances.Values, Is.All.Zero);
    }
}
