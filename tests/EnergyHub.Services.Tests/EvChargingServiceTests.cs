using EnergyHub.Devices;
using EnergyHub.Readings;
using EnergyHub.Services.EvCharging;
using EnergyHub.Site;
using EnergyHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Services.Tests;

/// <summary>The EvCharging service on the harness: what it sends a wallbox through the gate, and its fail-safes.</summary>
public sealed class EvChargingServiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static EvChargingService Service(EvMode mode = EvMode.PvOnly) => new(new EvChargingOptions
    {
        Charger = "ev", GridMeter = "grid", Mode = mode, CycleInterval = TimeSpan.FromSeconds(30), OnOffDelay = TimeSpan.Zero,
    }, NullLogger.Instance);

    // A wallbox on three phases with a car plugged in, charging at currentA (0 = not allowed).
    private static Func<SiteBuilder, SiteBuilder> Wallbox(double currentA, string id = "ev", int phases = 3, string? error = null, double? sessionWh = null) => site => site.Device(id,
        new DeviceReading
        {
            Timestamp = site.Now,
            Charger = new EvChargerReading(currentA > 0 ? EvCarState.Charging : EvCarState.Connected, currentA * phases * 230, currentA, phases)
            {
                Error = error, SessionEnergyWh = sessionWh,
            },
        },
        DeviceFacts.Unknown with
        {
            Roles = new HashSet<Type> { typeof(IEvCharger), typeof(ICurrentLimiter), typeof(ISafeState) }, Confirmed = true,
            Charger = new EvChargerLimits(6, 16, 3),
        });

    private static Func<SiteBuilder, SiteBuilder> Site(double gridW, double chargingA) => site => Wallbox(chargingA)(site.GridMeter("grid", gridW));

    [Test]
    public async Task It_charges_from_the_surplus_follows_it_every_cycle_and_stops_when_the_grid_meter_goes_stale()
    {
        var harness = new ServiceHarness(T0);
        await harness.RunAsync(Service(),
        [
            Cycle.At(0, Site(-5000, 0)).Sends(new ExpectedCommand("ev", "ChargeCurrentA", 7)),         // floor(5000 / 690 + 0.1) = 7
            Cycle.At(10, Site(-5000, 7)).Sends(),                                                       // within the cycle
            Cycle.At(30, Site(-1000, 7)).Sends(new ExpectedCommand("ev", "ChargeCurrentA", 8)),        // (1000 + 4830) / 690 = 8.4
            Cycle.At(60, site => Wallbox(8)(site.Offline("grid"))).Sends(new ExpectedCommand("ev", "ChargeCurrentA", 0, IsSafety: true))
                .Decides("PvOnly"),
        ]);
        var stop = await harness.StopAsync(Service(), TimeSpan.FromSeconds(90), Site(-1000, 8));
        Assert.That(stop.Commands.Select(ServiceHarness.Describe), Is.EqualTo(new[] { "SafeState 1 to 'ev' (safety)" }));
    }

    [Test]
    public async Task A_charger_that_goes_quiet_while_charging_is_shown_stale_with_what_the_owner_can_do()
    {
        var harness = new ServiceHarness(T0);
        var service = Service();
        await harness.RunAsync(service,
        [
            Cycle.At(0, Site(-5000, 7)),
            Cycle.At(30, site => site.GridMeter("grid", 4830).Offline("ev")).Sends().Decides("waiting"),
        ]);
        var status = service.Status!.Chargers.Single();

        Assert.That(status.Stale, Is.True, "the last values are not the charger's state now");
        Assert.That(status.Why, Does.Contain("can neither see nor change").And.Contain("last seen charging at 7 A and goes on by itself").And.Contain("stop charging in the car"));
        Assert.That(status.CurrentA, Is.EqualTo(7), "as last seen");

        await harness.RunAsync(service, [Cycle.At(60, Site(-5000, 7)).Decides("PvOnly")]);
        Assert.That(service.Status!.Chargers.Single().Stale, Is.False, "fresh again");
    }

    [Test]
    public async Task With_hold_battery_while_charging_the_home_battery_never_feeds_the_car_in_any_mode()
    {
        var harness = new ServiceHarness(T0);
        var service = new EvChargingService(new EvChargingOptions
        {
            Charger = "ev", GridMeter = "grid", Mode = EvMode.Max, CycleInterval = TimeSpan.FromSeconds(30), OnOffDelay = TimeSpan.Zero,
            HoldBatteryWhileCharging = "battery",
        }, NullLogger.Instance);
        const int hold = (int)BatteryMode.Hold, auto = (int)BatteryMode.Auto;

        await harness.RunAsync(service,
        [
            Cycle.At(0, Site(500, 0)).Sends(new ExpectedCommand("ev", "ChargeCurrentA", 16), new ExpectedCommand("battery", "BatteryMode", auto)), // not drawing yet: said at start
            Cycle.At(30, Site(8000, 16)).Sends(new ExpectedCommand("battery", "BatteryMode", hold)).Decides("battery_held_for_ev"),
            Cycle.At(60, Site(8000, 16)).Sends(),                                                                  // held already
            Cycle.At(90, site => site.GridMeter("grid", 8000).Offline("ev")).Sends(),                               // quiet, last seen drawing: still held
            Cycle.At(120, Site(500, 0)).Sends(new ExpectedCommand("battery", "BatteryMode", auto)).Decides("battery_released"),
        ]);
        var stop = await harness.StopAsync(service, TimeSpan.FromSeconds(150), Site(500, 0));

        Assert.That(stop.Commands.Select(ServiceHarness.Describe), Does.Contain("BatteryMode 0 to 'battery' (safety)"), "self-consumption on stop");
        Assert.That(harness.Decisions.Decisions.Single(d => d.Decision == "battery_held_for_ev").As<BatteryForEvDecision>().Why, Does.Contain("never from the home battery"));
    }

    [Test]
    public async Task Max_sets_the_most_current_once_and_then_leaves_the_charger_alone()
    {
        var harness = new ServiceHarness(T0);
        await harness.RunAsync(Service(EvMode.Max),
        [
            Cycle.At(0, Site(500, 0)).Sends(new ExpectedCommand("ev", "ChargeCurrentA", 16)),
            Cycle.At(30, Site(8000, 16)).Sends().Decides("Max"),
            Cycle.At(60, Site(8000, 10)).Sends().Decides("Manual"),
        ]);
    }

    private static EvChargingService WithRelay() => new(new EvChargingOptions
    {
        Charger = "ev", GridMeter = "grid", PhaseRelay = "relay", Mode = EvMode.PvOnly, CycleInterval = TimeSpan.FromSeconds(30), OnOffDelay = TimeSpan.Zero,
        PhaseSwitchDelay = TimeSpan.Zero,
    }, NullLogger.Instance);

    [Test]
    public async Task A_relay_switches_an_older_wallbox_to_one_phase_off_and_to_three_phases_on()
    {
        var harness = new ServiceHarness(T0);
        await harness.RunAsync(WithRelay(),
        [
            Cycle.At(0, site => Wallbox(0)(site.GridMeter("grid", -2000))).Sends(new ExpectedCommand("relay", "SwitchOn", 0)),   // 2000 W < 4140 W: 1 phase
            Cycle.At(30, site => Wallbox(0, phases: 1)(site.GridMeter("grid", -2000))).Sends(new ExpectedCommand("ev", "ChargeCurrentA", 8)),
            Cycle.At(60, site => Wallbox(0, phases: 1)(site.GridMeter("grid", -5000))).Sends(new ExpectedCommand("relay", "SwitchOn", 1)),
        ]);
    }

    [Test]
    public async Task A_phase_error_is_reset_exactly_once_however_long_it_lasts_and_again_after_it_cleared()
    {
        var harness = new ServiceHarness(T0);
        Func<SiteBuilder, SiteBuilder> Error(double currentA) => site => Wallbox(currentA, phases: 1, error: "Phase")(site.GridMeter("grid", -2000));
        var reset = new[] { new ExpectedCommand("ev", "ChargeCurrentA", 0, IsSafety: true), new ExpectedCommand("relay", "SwitchOn", 0) };
        var service = WithRelay();
        await harness.RunAsync(service,
        [
            Cycle.At(0, site => Wallbox(0, phases: 1)(site.GridMeter("grid", -2000))).Sends(new ExpectedCommand("ev", "ChargeCurrentA", 8)),
            Cycle.At(30, Error(8)).Sends(reset),
            Cycle.At(60, Error(0)).Sends(),
            Cycle.At(90, Error(0)).Sends(),
            Cycle.At(120, site => Wallbox(0, phases: 1)(site.GridMeter("grid", -2000))).Sends(new ExpectedCommand("ev", "ChargeCurrentA", 8)),
            Cycle.At(150, Error(8)).Sends(reset),
        ]);
        Assert.That(harness.Commands.Sent.OfType<Commands.SetSwitch>().All(c => c.Reassert), "a reset sends the phases even though the gate saw them acknowledged");
        Assert.That(service.Metrics().Single(m => m.Name == "ev_phase_error_resets_total").Value, Is.EqualTo(2));
    }

    [Test]
    public async Task Each_charger_of_its_own_section_is_run_on_its_own_and_both_go_to_their_safe_state_on_stop()
    {
        var options = new EvChargingOptions
        {
            Charger = "ev", GridMeter = "grid", Mode = EvMode.Max, CycleInterval = TimeSpan.FromSeconds(30),
            Chargers = new Dictionary<string, EvChargingOptions> { ["garage"] = new() { Charger = "ev2", GridMeter = "grid", Mode = EvMode.Off } },
        };
        var service = new EvChargingService(options, NullLogger.Instance);
        var harness = new ServiceHarness(T0);
        Func<SiteBuilder, SiteBuilder> both = site => Wallbox(0, "ev2")(Wallbox(0)(site.GridMeter("grid", 0)));
        await harness.RunAsync(service,
        [
            Cycle.At(0, both).Sends(new ExpectedCommand("ev", "ChargeCurrentA", 16), new ExpectedCommand("ev2", "ChargeCurrentA", 0, IsSafety: true)),
        ]);
        Assert.That(service.Settings.Select(s => s.Name), Is.EqualTo(new[]
        {
            "Mode", "PhaseMode", "ChargePriority", "PlanEnergyKwh", "PlanBy",
            "garage.Mode", "garage.PhaseMode", "garage.ChargePriority", "garage.PlanEnergyKwh", "garage.PlanBy",
        }));
        var stop = await harness.StopAsync(service, TimeSpan.FromSeconds(30), both);
        Assert.That(stop.Commands.Select(ServiceHarness.Describe), Is.EqualTo(new[] { "SafeState 1 to 'ev' (safety)", "SafeState 1 to 'ev2' (safety)" }));
    }

    [Test]
    public async Task A_charge_plan_charges_at_full_power_in_the_cheapest_hour_before_its_deadline_and_follows_the_surplus_otherwise()
    {
        // 12:00 UTC: 1 kWh is dear now (0.40) and cheap from 13:00 (0.10) until 14:00, the deadline.
        var service = new EvChargingService(new EvChargingOptions
        {
            Charger = "ev", GridMeter = "grid", Prices = "prices", Mode = EvMode.PvOnly, CycleInterval = TimeSpan.FromSeconds(30), OnOffDelay = TimeSpan.Zero,
        }, NullLogger.Instance);
        Assert.That(service.Settings.Single(s => s.Name == "PlanBy").TryApply("14"), Is.Null);
        Assert.That(service.Settings.Single(s => s.Name == "PlanEnergyKwh").TryApply("5"), Is.Null);
        PriceSeries prices = new("AUD", [new PriceInterval(T0, T0.AddHours(1), 0.40, 0.05, false), new PriceInterval(T0.AddHours(1), T0.AddHours(2), 0.10, 0.05, true)]);
        Func<SiteBuilder, SiteBuilder> At(double gridW, double chargingA) => site => Site(gridW, chargingA)(site)
            .Device("prices", new DeviceReading { Timestamp = site.Now, Prices = prices }, DeviceFacts.Unknown with { Roles = new HashSet<Type> { typeof(IPriceSource) }, Confirmed = true });
        var harness = new ServiceHarness(T0);

        await harness.RunAsync(service,
        [
            // 5 kWh at 11 kW is 27 minutes: the end of the cheap hour. Now the surplus only: 2000 W is floor(2.9 + 0.1) = 3 A, below 6: stays off.
            Cycle.At(0, At(-2000, 0)).Sends(),
            Cycle.At(3600 + 40 * 60, At(0, 0)).Sends(new ExpectedCommand("ev", "ChargeCurrentA", 16)),
        ]);

        var plan = service.Status!.Chargers.Single().Plan!;
        Assert.That((plan.EnergyKwh, plan.By, plan.ChargingNow), Is.EqualTo((5.0, T0.AddHours(2), true)), plan.Why);
        Assert.That(plan.Slots.Single().ImportPerKwh, Is.EqualTo(0.10));
        Assert.That(harness.Decisions.Decisions.Last().As<EvChargeDecision>().Why, Does.StartWith("plan: 5.0 kWh missing by 14:00"));
    }

    [Test]
    public async Task A_daily_plan_is_posted_to_the_site_and_the_sites_plan_is_followed_while_it_is_fresh()
    {
        // 12:00 UTC, a plan of 5 kWh by 14:00 from the config; the site's planner answers with 4 kW from the grid in the
        // 13:00 hour and 3 kW of PV before it.
        var service = new EvChargingService(new EvChargingOptions
        {
            Charger = "ev", GridMeter = "grid", Mode = EvMode.PvOnly, CycleInterval = TimeSpan.FromSeconds(30), OnOffDelay = TimeSpan.Zero,
            DailyPlanKwh = 5, PlanBy = 14,
        }, NullLogger.Instance);
        var harness = new ServiceHarness(T0);
        await harness.TickAsync(service, TimeSpan.Zero, Site(0, 0));
        var demand = harness.Plans.Demands(T0).Single();
        Assert.That(demand, Is.EqualTo(new EnergyDemand("ev", 5000, T0.AddHours(2), 16 * 3 * 230)));

        harness.Plans.Publish(new DemandPlan(demand, T0, "BatteryScheduler",
            [new DemandSlot(T0.AddMinutes(30), T0.AddHours(1), 3000, 0, 0.30), new DemandSlot(T0.AddHours(1), T0.AddHours(2), 4000, 4000, 0.10)], "placed"));
        await harness.RunAsync(service,
        [
            Cycle.At(30, Site(0, 0)).Sends(),                                                           // no slot now: the surplus only, and there is none
            Cycle.At(1800 + 30, Site(-2000, 0)).Sends(),                                                // a PV slot: the surplus decides (2000 W is 3 A, below 6)
            Cycle.At(3600 + 30, Site(0, 0)).Sends(new ExpectedCommand("ev", "ChargeCurrentA", 6)),      // 4000 W from the grid: ceil(4000 / 690) = 6 A
        ]);
        var plan = service.Status!.Chargers.Single().Plan!;
        Assert.That((plan.PlannedBy, plan.PowerW, plan.ChargingNow, plan.Slots.Count), Is.EqualTo(("BatteryScheduler", 4000.0, true, 2)));
        Assert.That(plan.Why, Does.StartWith("placed; charging now at 4.0 kW"));

        // A site plan over two hours old is stale (its planner stopped): the charger's own plan on prices again.
        await harness.TickAsync(service, TimeSpan.FromSeconds(3600 + 60), Site(0, 6));
        Assert.That(service.Status!.Chargers.Single().Plan!.PlannedBy, Is.EqualTo("BatteryScheduler"));
        harness.Plans.Publish(new DemandPlan(demand, T0.AddHours(-2), "BatteryScheduler", [], "old"));
        await harness.TickAsync(service, TimeSpan.FromSeconds(3600 + 90), Site(0, 6));
        Assert.That(service.Status!.Chargers.Single().Plan!.PlannedBy, Is.Null, "a plan made over two hours ago is not followed");

        // After the deadline the daily plan is armed again for the next day.
        await harness.TickAsync(service, TimeSpan.FromHours(2) + TimeSpan.FromSeconds(30), Site(0, 0));
        var next = service.Status!.Chargers.Single().Plan!;
        Assert.That((next.By, next.ChargedKwh), Is.EqualTo((T0.AddDays(1).AddHours(2), 0.0)));
        Assert.That(harness.Plans.Demands(harness.Clock.GetUtcNow()).Single().Deadline, Is.EqualTo(T0.AddDays(1).AddHours(2)));
    }

    [Test]
    public async Task A_plan_is_taken_off_the_site_board_when_the_mode_leaves_the_pv_modes()
    {
        var service = new EvChargingService(new EvChargingOptions
        {
            Charger = "ev", GridMeter = "grid", Mode = EvMode.PvOnly, CycleInterval = TimeSpan.FromSeconds(30), DailyPlanKwh = 5, PlanBy = 14,
        }, NullLogger.Instance);
        var harness = new ServiceHarness(T0);
        await harness.TickAsync(service, TimeSpan.Zero, Site(0, 0));
        Assert.That(harness.Plans.Demands(T0), Has.Count.EqualTo(1));
        Assert.That(service.Settings.Single(s => s.Name == "Mode").TryApply("Manual"), Is.Null);
        await harness.TickAsync(service, TimeSpan.FromSeconds(30), Site(0, 0));
        Assert.That(harness.Plans.Demands(T0.AddSeconds(30)), Is.Empty);
    }

    [Test]
    public async Task The_charged_energy_split_is_kept_on_stop_and_counted_on_from_there_after_a_restart()
    {
        var store = new MemoryStateStore();
        var harness = new ServiceHarness(T0);
        EvChargingService Make() => new(new EvChargingOptions { Charger = "ev", GridMeter = "grid", Mode = EvMode.Manual, CycleInterval = TimeSpan.FromSeconds(30) },
            NullLogger.Instance, store);
        // 6 A on 3 phases = 4140 W; the grid imports 1035 W of it: a quarter from the grid.
        Func<SiteBuilder, SiteBuilder> At(double sessionWh) => site => Wallbox(6, sessionWh: sessionWh)(site.GridMeter("grid", 1035));
        var first = Make();
        await harness.TickAsync(first, TimeSpan.Zero, At(100));
        await harness.TickAsync(first, TimeSpan.FromSeconds(30), At(500));
        await harness.StopAsync(first, TimeSpan.FromSeconds(30), At(500));
        var second = Make();
        await harness.TickAsync(second, TimeSpan.FromSeconds(60), At(900));
        await harness.TickAsync(second, TimeSpan.FromSeconds(90), At(1300));
        var status = second.Status!;
        Assert.That((status.Chargers[0].Energy.TotalGridWh, status.Chargers[0].Energy.TotalPvWh), Is.EqualTo((200.0, 600.0)).Within(1e-9),
            "400 Wh before the restart and 400 Wh after (the first reading after a restart only sets the counter's base), a quarter of each from the grid");
    }

    [Test]
    public void In_the_site_cycle_the_car_is_offered_the_surplus_before_the_export_guard_curtails() =>
        Assert.That(new EvChargingOptions().Priority, Is.LessThan(new ExportGuard.ExportGuardOptions().Priority));
}
