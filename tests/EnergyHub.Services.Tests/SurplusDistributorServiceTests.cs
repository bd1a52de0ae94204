using EnergyHub.Devices;
using EnergyHub.Readings;
using EnergyHub.Services.SurplusDistributor;
using EnergyHub.Site;
using EnergyHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Services.Tests;

/// <summary>The surplus distributor on the service harness: device consumers, smoothing, the reservation, fail-safes.</summary>
public sealed class SurplusDistributorServiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static SurplusDistributorService Service(string reservation = "0", string battery = "", TimeSpan? minOn = null, IServiceStateStore? store = null,
        double? maxFeedIn = null, params (string Id, double Request, double Priority)[] devices) =>
        new(new SurplusDistributorOptions
        {
            GridMeter = "grid", Battery = battery, Reservation = reservation, CycleInterval = TimeSpan.FromSeconds(45), MarginW = 200,
            Prices = maxFeedIn is null ? "" : "prices",
            Devices = devices.ToDictionary(d => d.Id, d => new SurplusDeviceOptions
            {
                Request = d.Request, Priority = d.Priority, MinOnTime = minOn ?? TimeSpan.Zero, MinOffTime = TimeSpan.Zero, MaxFeedInPerKwh = maxFeedIn,
            }),
        }, TimeProvider.System, NullLogger.Instance, store);

    // A relay with a power meter (a Shelly Plus 1PM on a heater).
    private static Func<SiteBuilder, SiteBuilder> Relay(string id, double drawingW) => site => site.Switch(id, drawingW);

    // A device that follows an allowance (a wallbox behind EvCharging, a sim relay).
    private static Func<SiteBuilder, SiteBuilder> Follower(string id, double drawingW) => site => site.Consumer(id, drawingW);

    private static Func<SiteBuilder, SiteBuilder> Site(double gridW, params Func<SiteBuilder, SiteBuilder>[] parts) =>
        site => parts.Aggregate(site.GridMeter("grid", gridW), (s, part) => part(s));

    [Test]
    public async Task A_relay_goes_on_when_its_request_is_granted_stays_on_while_it_draws_and_goes_off_when_the_surplus_is_gone()
    {
        var harness = new ServiceHarness(T0);
        await harness.RunAsync(Service(devices: ("heater", 2000, 10)),
        [
            Cycle.At(0, Site(-1500, Relay("heater", 0))).Sends(new ExpectedCommand("heater", "SwitchOn", 0, IsSafety: true)),
            Cycle.At(45, Site(-2500, Relay("heater", 0))).Sends(new ExpectedCommand("heater", "SwitchOn", 1, IsSafety: false)),
            Cycle.At(90, Site(-600, Relay("heater", 2000))).Sends(new ExpectedCommand("heater", "SwitchOn", 1)),
            Cycle.At(135, Site(300, Relay("heater", 2000))).Sends(new ExpectedCommand("heater", "SwitchOn", 0, IsSafety: true)),
        ]);
    }

    [Test]
    public async Task A_relay_stays_on_for_its_min_on_time_though_the_surplus_is_gone()
    {
        var harness = new ServiceHarness(T0);
        await harness.RunAsync(Service(minOn: TimeSpan.FromMinutes(5), devices: ("heater", 2000, 10)),
        [
            Cycle.At(0, Site(-2500, Relay("heater", 0))).Sends(new ExpectedCommand("heater", "SwitchOn", 1)),
            Cycle.At(45, Site(1500, Relay("heater", 2000))).Sends(new ExpectedCommand("heater", "SwitchOn", 1)),
            Cycle.At(300, Site(1500, Relay("heater", 2000))).Sends(new ExpectedCommand("heater", "SwitchOn", 0)),
        ]);
        Assert.That(harness.Decisions.Decisions.Select(d => d.As<SurplusDecision>().Allowances).ElementAt(1), Does.Contain("kept on: on for 45 s of its MinOnTime 5 min"));
    }

    [Test]
    public async Task A_consumer_with_a_feed_in_cap_takes_surplus_only_while_exporting_pays_no_more_than_it_and_keeps_its_min_on_time()
    {
        var harness = new ServiceHarness(T0);
        await harness.RunAsync(Service(minOn: TimeSpan.FromMinutes(2), maxFeedIn: 0, devices: ("heater", 2000, 10)),
        [
            // exporting 2500 W pays 0.12 a kWh: the surplus stays exported
            Cycle.At(0, Site(-2500, Relay("heater", 0), s => s.Prices("prices", feedInPerKwh: 0.12))).Sends(new ExpectedCommand("heater", "SwitchOn", 0, IsSafety: true)),
            // the price turns negative: the heater takes it
            Cycle.At(45, Site(-2500, Relay("heater", 0), s => s.Prices("prices", feedInPerKwh: -0.05))).Sends(new ExpectedCommand("heater", "SwitchOn", 1)),
            // it pays again, but the heater has run only 45 s of its 2 min
            Cycle.At(90, Site(-2500, Relay("heater", 2000), s => s.Prices("prices", feedInPerKwh: 0.08))).Sends(new ExpectedCommand("heater", "SwitchOn", 1)),
            Cycle.At(180, Site(-2500, Relay("heater", 2000), s => s.Prices("prices", feedInPerKwh: 0.08))).Sends(new ExpectedCommand("heater", "SwitchOn", 0, IsSafety: true)),
            // no fresh price: surplus as ever
            Cycle.At(225, Site(-2500, Relay("heater", 0), s => s.Prices("prices", feedInPerKwh: 0.08, age: TimeSpan.FromHours(1)))).Sends(new ExpectedCommand("heater", "SwitchOn", 1)),
        ]);
        var whys = harness.Decisions.Decisions.Select(d => d.As<SurplusDecision>().Allowances).ToList();
        Assert.That(whys[0], Does.Contain("exporting pays 0.12 AUD/kWh now, above its MaxFeedInPerKwh 0: the surplus is worth more exported"));
        Assert.That(whys[2], Does.Contain("kept on: on for 45 s of its MinOnTime 2 min"));
    }

    [Test]
    public async Task A_consumer_whose_own_switch_says_by_hand_gets_nothing_and_the_figures_are_offered_for_the_broker()
    {
        var harness = new ServiceHarness(T0);
        var service = Service(devices: ("pump", 600, 10));
        await harness.RunAsync(service,
        [
            Cycle.At(0, Site(-3000, site => site.Consumer("pump", 0, isAutomatic: false))).Sends(new ExpectedCommand("pump", "AllowanceW", 0)),
            Cycle.At(45, Site(-3000, site => site.Consumer("pump", 0))).Sends(new ExpectedCommand("pump", "AllowanceW", 600)),
        ]);
        Assert.That(harness.Decisions.Decisions[0].As<SurplusDecision>().Allowances, Does.Contain("not automatic: its own switch says it runs by hand"));
        var published = service.Published.ToDictionary(v => v.Path, v => (v.Text, v.Retain));
        Assert.That(published["SurplusDistributor/Calculations/OverheadAssigned"], Is.EqualTo(("600", false)));
        Assert.That(published["SurplusDistributor/Calculations/Grid/TotalFeedIn"], Is.EqualTo(("3000", false)));
        Assert.That(published.Keys, Has.Some.StartsWith("SurplusDistributor/Requests/pump/Energy/"));
        Assert.That(published.Where(p => p.Key.Contains("/Energy/")).Select(p => p.Value.Retain), Is.All.True);
    }

    [Test]
    public async Task A_consumer_asking_for_nothing_gets_nothing_without_a_config_error_and_a_switch_without_a_request_is_one()
    {
        var harness = new ServiceHarness(T0);
        var logger = new EnergyHub.TestSupport.ListLogger();
        var service = new SurplusDistributorService(new SurplusDistributorOptions
        {
            GridMeter = "grid", CycleInterval = TimeSpan.FromSeconds(45), Reservation = "0",
            Devices = new Dictionary<string, SurplusDeviceOptions> { ["script"] = new() { MinOnTime = TimeSpan.Zero }, ["relay"] = new() { MinOnTime = TimeSpan.Zero } },
        }, TimeProvider.System, logger);
        await harness.RunAsync(service,
        [
            Cycle.At(0, Site(-3000, site => site.Consumer("script", 0), Relay("relay", 0))).Sends(new ExpectedCommand("script", "AllowanceW", 0), new ExpectedCommand("relay", "SwitchOn", 0, IsSafety: true)),
        ]);
        var why = harness.Decisions.Decisions[0].As<SurplusDecision>().Allowances;
        Assert.That(why, Does.Contain("asks for nothing now (Request 0").And.Contain("no Request for 'relay'"));
        Assert.That(logger.Errors, Has.One.Contains("no Request for 'relay'").And.None.Contains("script"), "only the switch's section is at fault");
    }

    [Test]
    public void A_feed_in_cap_without_prices_to_compare_with_is_a_config_error()
    {
        var options = new SurplusDistributorOptions
        {
            GridMeter = "grid", Devices = new Dictionary<string, SurplusDeviceOptions> { ["heater"] = new() { Request = 2000, MaxFeedInPerKwh = 0 } },
        };
        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();
        Assert.That(errors.Single().ErrorMessage, Does.Contain("[SurplusDistributor:heater] MaxFeedInPerKwh needs the prices to compare with: set Prices"));
    }

    [Test]
    public async Task The_median_of_the_readings_since_the_last_cycle_decides_not_one_spike()
    {
        var harness = new ServiceHarness(T0);
        var service = Service(devices: ("heater", 2000, 10));
        await harness.TickAsync(service, TimeSpan.Zero, Site(0, Relay("heater", 0)));
        foreach (var (at, grid) in new[] { (10, -2300.0), (20, -2250.0), (30, -2400.0), (40, 4000.0) })
        {
            await harness.TickAsync(service, TimeSpan.FromSeconds(at), Site(grid, Relay("heater", 0)));
        }
        var cycle = await harness.TickAsync(service, TimeSpan.FromSeconds(45), Site(-2300, Relay("heater", 0)));

        Assert.That(cycle.Commands.Select(ServiceHarness.Describe), Is.EqualTo(new[] { "SwitchOn 1 to 'heater'" }), "the kettle's spike at 40 s does not count");
        Assert.That(service.LastCycle!.SurplusW, Is.EqualTo(2300));
    }

    [Test]
    public async Task The_battery_keeps_its_reservation_and_its_charge_power_counts_as_surplus()
    {
        var harness = new ServiceHarness(T0);
        var service = Service(reservation: "0:3000, 80:1000, 100:0", battery: "battery", devices: [("heater", 1500, 10), ("pump", 800, 20)]);
        var result = await harness.TickAsync(service, TimeSpan.Zero,
            Site(-500, s => s.Battery("battery", 80, 1500), Relay("heater", 0), Relay("pump", 0)));

        Assert.That((service.LastCycle!.SurplusW, service.LastCycle.ReservationW), Is.EqualTo((2000.0, 1000.0)), "500 W export + 1500 W charging; 1000 W kept at 80 %");
        Assert.That(result.Commands.Select(ServiceHarness.Describe), Is.EqualTo(new[] { "SwitchOn 0 to 'heater' (safety)", "SwitchOn 1 to 'pump'" }),
            "1500 W does not fit the 1000 W left after the reservation; 800 W does");
    }

    [Test]
    public async Task Without_a_fresh_grid_reading_every_allowance_is_zero_and_on_stop_too()
    {
        var harness = new ServiceHarness(T0);
        var service = Service(devices: [("heater", 2000, 10), ("wallbox", 4000, 20)]);
        await harness.RunAsync(service,
        [
            Cycle.At(0, Site(-7000, Relay("heater", 0), Follower("wallbox", 0)))
                .Sends(new ExpectedCommand("heater", "SwitchOn", 1), new ExpectedCommand("wallbox", "AllowanceW", 4000)),
            Cycle.At(45, site => Relay("heater", 2000)(Follower("wallbox", 4000)(site.Offline("grid"))))
                .Sends(new ExpectedCommand("heater", "SwitchOn", 0, IsSafety: true), new ExpectedCommand("wallbox", "AllowanceW", 0))
                .Decides("nothing: stale input"),
        ]);
        var stop = await harness.StopAsync(service, TimeSpan.FromSeconds(60), Site(-7000, Relay("heater", 0), Follower("wallbox", 0)));
        Assert.That(stop.Commands.Select(ServiceHarness.Describe), Is.EqualTo(new[] { "SwitchOn 0 to 'heater' (safety)", "AllowanceW 0 to 'wallbox'" }));
    }

    [Test]
    public async Task What_a_consumer_draws_beyond_its_allowance_is_not_surplus()
    {
        // The heater was switched on by hand: its 2000 W come from the grid (1500 W import), not from the sun.
        var harness = new ServiceHarness(T0);
        var service = Service(devices: [("heater", 2000, 10), ("pump", 400, 20)]);
        var first = await harness.TickAsync(service, TimeSpan.Zero, Site(1500, Relay("heater", 2000), Relay("pump", 0)));
        Assert.That(service.LastCycle!.SurplusW, Is.Zero, "es-ESS counted the 2000 W and gave 500 W away");
        Assert.That(first.Commands.Select(ServiceHarness.Describe), Is.EqualTo(new[] { "SwitchOn 0 to 'heater' (safety)", "SwitchOn 0 to 'pump' (safety)" }));

        // Once granted, what it draws of its allowance is budget again.
        await harness.TickAsync(service, TimeSpan.FromSeconds(45), Site(-2500, Relay("heater", 0), Relay("pump", 0)));
        await harness.TickAsync(service, TimeSpan.FromSeconds(90), Site(-500, Relay("heater", 2000), Relay("pump", 0)));
        Assert.That(service.LastCycle!.SurplusW, Is.EqualTo(2500));
    }

    [Test]
    public async Task A_consumer_section_naming_no_device_gets_nothing_and_says_so()
    {
        var harness = new ServiceHarness(T0);
        var service = Service(devices: ("heatr", 2000, 10));
        await harness.TickAsync(service, TimeSpan.Zero, Site(-5000));
        Assert.That(service.LastCycle!.Allowances["heatr"], Is.EqualTo(new AllowanceDecision(0,
            "no device 'heatr': [SurplusDistributor:heatr] names a device that is not configured")));
    }

    [Test]
    public async Task Statistics_are_kept_every_five_minutes_and_on_stop_and_a_new_instance_goes_on_from_them()
    {
        var store = new MemoryStateStore();
        var harness = new ServiceHarness(T0);
        var service = Service(store: store, devices: ("heater", 2000, 10));
        for (var s = 0; s <= 300; s += 5)
        {
            await harness.TickAsync(service, TimeSpan.FromSeconds(s), Site(-3000, Relay("heater", 2000)));
        }
        Assert.That(store.Values, Contains.Key("SurplusDistributor/statistics"), "kept after five minutes, before any stop");
        await harness.TickAsync(service, TimeSpan.FromSeconds(305), Site(-3000, Relay("heater", 2000))); // counted, kept only by the stop
        await harness.StopAsync(service, TimeSpan.FromSeconds(306), Site(-3000, Relay("heater", 2000)));

        var restarted = Service(store: store, devices: ("heater", 2000, 10));
        await harness.TickAsync(restarted, TimeSpan.FromSeconds(400), Site(-3000, Relay("heater", 2000)));
        var heater = restarted.Status!.Consumers.Single();
        Assert.That((heater.Statistics.EnergyTotalWh, heater.Statistics.RuntimeTotalS), Is.EqualTo((2000.0 * 305 / 3600, 305.0)).Using<(double, double)>((a, b) =>
            Math.Abs(a.Item1 - b.Item1) < 1e-6 && Math.Abs(a.Item2 - b.Item2) < 1e-6 ? 0 : 1), "300 s of ticks and the 5 s the stop kept; not the time it was stopped");
    }
}
