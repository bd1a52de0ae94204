using EnergyHub.Devices;
using EnergyHub.Readings;
using EnergyHub.Services.BatteryScheduler;
using EnergyHub.Site;
using EnergyHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Services.Tests;

/// <summary>The BatteryScheduler on the harness: what it tells the battery through the gate, and its fail-safes.</summary>
public sealed class BatterySchedulerServiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 1, 0, 0, TimeSpan.Zero);
    private const int Auto = (int)BatteryMode.Auto;
    private const int ChargeFromGrid = (int)BatteryMode.ChargeFromGrid;

    private static BatterySchedulerService Service(ScheduleStrategy strategy = ScheduleStrategy.Optimal) => new(new BatterySchedulerOptions
    {
        Battery = "battery", Prices = "prices", GridMeter = "grid", Strategy = strategy, CycleCostPerKwh = 0, MinCellVoltageV = 2.8, MaxCellVoltageV = 3.55,
    }, NullLogger.Instance, TimeProvider.System);

    // A night with a cheap hour now and an expensive evening: 0.10 now, 0.50 from 17:00, 0.30 otherwise.
    private static Func<SiteBuilder, SiteBuilder> Site(double socPct, double? temperatureC = null, TimeSpan? pricesAge = null, BatteryMode? mode = null,
        IReadOnlySet<BatteryMode>? modes = null, (double Min, double Max)? cellsV = null) => site =>
    {
        var intervals = Enumerable.Range(0, 24).Select(h => T0.AddHours(h))
            .Select(start => new PriceInterval(start, start.AddHours(1), start == T0 ? 0.10 : start.Hour is >= 17 and < 21 ? 0.50 : 0.30, 0.05, false)).ToList();
        return site.GridMeter("grid", 500)
            .Device("battery", new DeviceReading { Timestamp = site.Now, Battery = new BatteryReading(socPct, 0) { TemperatureC = temperatureC, Mode = mode, MinCellVoltageV = cellsV?.Min, MaxCellVoltageV = cellsV?.Max } },
                DeviceFacts.Unknown with
                {
                    Roles = new HashSet<Type> { typeof(IBattery), typeof(IBatteryControl) }, Confirmed = true,
                    Battery = new BatteryFacts(10_000, 5000, 5000, 90, null, null) { Modes = modes ?? AllBatteryModes.Set },
                })
            .Device("prices", new DeviceReading { Timestamp = site.Now - (pricesAge ?? TimeSpan.Zero), Prices = new PriceSeries("PLN", intervals) },
                DeviceFacts.Unknown with { Roles = new HashSet<Type> { typeof(IPriceSource) }, Confirmed = true });
    };

    [Test]
    public async Task It_charges_in_the_cheap_hour_for_the_evening_and_says_why()
    {
        var harness = new ServiceHarness(T0);
        var service = Service();
        await harness.RunAsync(service, [Cycle.At(0, Site(20)).Sends(new ExpectedCommand("battery", "BatteryMode", ChargeFromGrid)).Decides("ChargeFromGrid")]);
        var status = service.Status!;
        var command = (Commands.SetBatteryMode)harness.Commands.Sent[0];
        Assert.That(command.PowerW, Is.GreaterThan(0));
        Assert.That(command.TargetSocPct, Is.EqualTo(status.Slots[0].SocEndPct), "the target sent is the plan's");
        Assert.That(status.Why, Does.StartWith("charging").And.Contain("0.100/kWh").And.Contain("the cheapest"));
        Assert.That(status.Slots.Count, Is.EqualTo(24));
    }

    [Test]
    public async Task A_cars_demand_on_the_site_board_is_planned_with_the_battery_and_answered_there()
    {
        // 20 kWh into the car by 05:00: the cheap hour now is the car's at its full 11 kW, beside the battery's 5 kW.
        var harness = new ServiceHarness(T0);
        var car = new EnergyDemand("ev", 20_000, T0.AddHours(4), 11_000);
        harness.Plans.Post(car, T0);
        var service = Service();
        await harness.RunAsync(service, [Cycle.At(0, Site(20)).Sends(new ExpectedCommand("battery", "BatteryMode", ChargeFromGrid))]);
        var plan = harness.Plans.PlanOf("ev")!;
        Assert.That((plan.Demand, plan.Planner, plan.PlannedAt), Is.EqualTo((car, "BatteryScheduler", T0)));
        Assert.That(plan.Slots[0].Start, Is.EqualTo(T0));
        Assert.That((plan.Slots[0].PowerW, plan.Slots[0].GridW), Is.EqualTo((11_000.0, 11_000.0)).Within(1.0));
        Assert.That(plan.Slots.Sum(s => s.PowerW * (s.End - s.Start).TotalHours), Is.EqualTo(20_000).Within(1.0));
        Assert.That(plan.Why, Does.StartWith("20.0 kWh by 05:00, planned with the battery: ").And.Contain("kWh from the grid at").And.Not.Contain("from PV"), "no PV at night");
        var battery = service.Status!.Slots[0];
        Assert.That(battery.GridKw - battery.BatteryKw, Is.GreaterThan(11), "the battery's plan counts the car's 11 kW in the cheap hour");

        var apart = new ServiceHarness(T0);
        apart.Plans.Post(car, T0);
        var alone = new BatterySchedulerService(new BatterySchedulerOptions { Battery = "battery", Prices = "prices", GridMeter = "grid", PlanChargers = false },
            NullLogger.Instance, TimeProvider.System);
        await apart.TickAsync(alone, TimeSpan.Zero, Site(20));
        Assert.That(apart.Plans.PlanOf("ev"), Is.Null, "PlanChargers = false leaves the car to plan alone");
    }

    [Test]
    public async Task A_battery_that_cannot_take_the_planned_mode_self_consumes_and_says_why()
    {
        var harness = new ServiceHarness(T0);
        await harness.RunAsync(Service(), [Cycle.At(0, Site(20, modes: new HashSet<BatteryMode> { BatteryMode.Auto, BatteryMode.Hold }))
            .Sends(new ExpectedCommand("battery", "BatteryMode", Auto, IsSafety: true))]);
        Assert.That(harness.Decisions.Decisions[0].As<BatteryScheduleDecision>().Why, Does.StartWith("battery cannot be put into ChargeFromGrid: self-consumption instead (planned: charging"));
    }

    [Test]
    public async Task Stale_prices_return_the_battery_to_self_consumption()
    {
        var harness = new ServiceHarness(T0);
        await harness.RunAsync(Service(), [Cycle.At(0, Site(20, pricesAge: TimeSpan.FromMinutes(10))).Sends(new ExpectedCommand("battery", "BatteryMode", Auto, IsSafety: true))]);
        Assert.That(harness.Decisions.Decisions[0].As<BatteryScheduleDecision>().Why, Is.EqualTo("no fresh reading of the prices: the battery's own self-consumption until it is back"));
    }

    [TestCase(55.0, Auto, TestName = "A battery at 55 °C is not charged from the grid")]
    [TestCase(-5.0, Auto, TestName = "A battery at -5 °C is not charged from the grid")]
    [TestCase(null, ChargeFromGrid, TestName = "A temperature not read is unknown, not an emergency: the plan goes ahead")]
    public async Task Battery_temperature_outside_its_limits_stops_grid_charging(double? temperatureC, int mode)
    {
        var harness = new ServiceHarness(T0);
        await harness.RunAsync(Service(), [Cycle.At(0, Site(20, temperatureC)).Sends(new ExpectedCommand("battery", "BatteryMode", mode))]);
    }

    [TestCase(3.30, 3.60, Auto, "a cell is at 3.6 V, above 3.55 V: no grid charging", TestName = "A cell above its maximum stops grid charging")]
    [TestCase(2.70, 3.30, Auto, "a cell is at 2.7 V, below 2.8 V: no grid charging", TestName = "A cell below its minimum stops grid charging")]
    [TestCase(3.20, 3.40, ChargeFromGrid, "charging", TestName = "Cells inside their limits: the plan goes ahead")]
    public async Task Cell_voltages_outside_their_limits_stop_grid_charging(double minV, double maxV, int mode, string why)
    {
        var harness = new ServiceHarness(T0);
        await harness.RunAsync(Service(), [Cycle.At(0, Site(20, cellsV: (minV, maxV))).Sends(new ExpectedCommand("battery", "BatteryMode", mode, IsSafety: mode == Auto))]);
        Assert.That(harness.Decisions.Decisions[0].As<BatteryScheduleDecision>().Why, Does.StartWith(why));
    }

    private static ServiceSetting Setting(BatterySchedulerService service, string name) => service.Settings.Single(s => s.Name == name);

    [Test]
    public async Task Charge_now_overrides_the_plan_until_the_asked_state_of_charge_and_then_the_plan_resumes()
    {
        // 18:00 at 60 %: the plan keeps the battery for the 0.50 evening; asked to charge now to 80 %, it charges at full power.
        var harness = new ServiceHarness(T0.AddHours(17));
        var service = Service();
        Assert.That(Setting(service, "ChargeNowToPct").TryApply("80"), Is.Null);
        await harness.RunAsync(service,
        [
            Cycle.At(0, Site(60)).Sends(new ExpectedCommand("battery", "BatteryMode", ChargeFromGrid)),
            Cycle.At(60, Site(80)).Sends(new ExpectedCommand("battery", "BatteryMode", Auto, IsSafety: true)),
        ]);
        var charge = (Commands.SetBatteryMode)harness.Commands.Sent[0];
        Assert.That((charge.PowerW, charge.TargetSocPct), Is.EqualTo((5000.0, 80.0)), "the battery's full power, to the asked 80 %");
        Assert.That(harness.Decisions.Decisions[0].As<BatteryScheduleDecision>().Why, Is.EqualTo("charging now to 80 % as asked (ChargeNowToPct), whatever the plan; the plan resumes there"));
        Assert.That(Setting(service, "ChargeNowToPct").Current, Is.EqualTo("0"), "reached: the setting is back to 0");
        Assert.That(harness.Decisions.Decisions[1].As<BatteryScheduleDecision>().Why, Does.Not.Contain("as asked"), "the plan's own order again");
    }

    [Test]
    public async Task No_grid_charging_holds_off_the_planned_charge_for_its_hours_and_a_charge_now_lifts_it()
    {
        var harness = new ServiceHarness(T0);
        var service = Service();
        Assert.That(Setting(service, "NoGridChargingHours").TryApply("2"), Is.Null);
        await harness.RunAsync(service, [Cycle.At(0, Site(20)).Sends(new ExpectedCommand("battery", "BatteryMode", Auto, IsSafety: true))]);
        Assert.That(harness.Decisions.Decisions[0].As<BatteryScheduleDecision>().Why, Does.StartWith("no grid charging until").And.Contain("as asked (NoGridChargingHours): self-consumption instead (planned: charging"));

        Assert.That(Setting(service, "ChargeNowToPct").TryApply("50"), Is.Null);
        Assert.That(Setting(service, "NoGridChargingHours").Current, Is.EqualTo("0"), "the later instruction wins");
    }

    [Test]
    public async Task A_charge_now_still_stops_for_a_battery_too_hot_to_charge()
    {
        var harness = new ServiceHarness(T0.AddHours(17));
        var service = Service();
        Setting(service, "ChargeNowToPct").TryApply("80");
        await harness.RunAsync(service, [Cycle.At(0, Site(60, temperatureC: 55)).Sends(new ExpectedCommand("battery", "BatteryMode", Auto, IsSafety: true))]);
        Assert.That(harness.Decisions.Decisions[0].As<BatteryScheduleDecision>().Why, Does.StartWith("the battery is at 55 °C").And.Contain("no grid charging (planned: charging now to 80 %"));
    }

    [Test]
    public async Task The_rules_charge_an_almost_empty_battery_at_once_to_their_target()
    {
        var harness = new ServiceHarness(T0);
        await harness.RunAsync(Service(ScheduleStrategy.Rules), [Cycle.At(0, Site(4)).Sends(new ExpectedCommand("battery", "BatteryMode", ChargeFromGrid))]);
        Assert.That(((Commands.SetBatteryMode)harness.Commands.Sent[0]).TargetSocPct, Is.EqualTo(90));
        Assert.That(harness.Decisions.Decisions[0].As<BatteryScheduleDecision>().Why, Does.StartWith("D emergency"));
    }

    [Test]
    public async Task On_stop_the_battery_returns_to_self_consumption()
    {
        var harness = new ServiceHarness(T0);
        var service = Service();
        await harness.TickAsync(service, TimeSpan.Zero, Site(20));
        var stop = await harness.StopAsync(service, TimeSpan.FromMinutes(1), Site(25));
        Assert.That(stop.Commands.Select(ServiceHarness.Describe), Is.EqualTo(new[] { "BatteryMode 0 to 'battery' (safety)" }));
    }

    [Test]
    public async Task The_rules_take_over_a_grid_charge_the_battery_is_in_at_start()
    {
        // At 60 % with 0.50 now (0.30 later) the normal tier would not start a session; a charge in progress goes on (rule A).
        var harness = new ServiceHarness(T0.AddHours(16));
        var rules = Service(ScheduleStrategy.Rules);
        await harness.RunAsync(rules, [Cycle.At(0, Site(60, mode: BatteryMode.ChargeFromGrid)).Sends(new ExpectedCommand("battery", "BatteryMode", ChargeFromGrid))]);
        Assert.That(harness.Decisions.Decisions[0].As<BatteryScheduleDecision>().Why, Does.StartWith("A1"));
        var fresh = new ServiceHarness(T0.AddHours(16));
        await fresh.RunAsync(Service(ScheduleStrategy.Rules), [Cycle.At(0, Site(60)).Sends(new ExpectedCommand("battery", "BatteryMode", Auto, IsSafety: true))]);
    }
}
