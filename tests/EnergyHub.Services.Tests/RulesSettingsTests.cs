using System.ComponentModel.DataAnnotations;
using EnergyHub.Devices;
using EnergyHub.Readings;
using EnergyHub.Services.BatteryScheduler;
using EnergyHub.Site;
using EnergyHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Services.Tests;

/// <summary>The coordinator's numbers as config keys (the seed's battery_management, timing and tariff settings), its off-peak windows, and its price history kept across a restart.</summary>
public sealed class RulesSettingsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 1, 0, 0, TimeSpan.Zero);

    [TestCase("14:30", "13:00-15:00, 22:00-06:00", 0.5)]
    [TestCase("23:00", "13:00-15:00, 22:00-06:00", 7.0)]
    [TestCase("05:00", "13:00-15:00, 22:00-06:00", 1.0)]
    [TestCase("12:00", "13:00-15:00, 22:00-06:00", null)]
    [TestCase("15:00", "13:00-15:00", null)]
    [TestCase("03:00", "", null)]
    public void An_off_peak_window_says_how_long_it_has_left(string at, string windows, double? hoursLeft)
    {
        Assert.That(OffPeakWindows.TryParse(windows, out var parsed, out var problem), Is.True, problem);
        Assert.That(parsed.HoursLeft(TimeOnly.Parse(at, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(hoursLeft));
    }

    [TestCase("22:00", "'22:00' is not a window HH:mm-HH:mm")]
    [TestCase("25:00-06:00", "'25:00-06:00' is not a window")]
    [TestCase("06:00-06:00", "two different times")]
    public void A_window_that_is_not_one_is_a_config_error_that_shows_one(string windows, string problem)
    {
        var options = new BatterySchedulerOptions { Battery = "b", Prices = "p", GridMeter = "g", RulesOffPeakHours = windows };
        var errors = options.Validate(new ValidationContext(options)).ToList();
        Assert.That(errors.Single().ErrorMessage, Does.StartWith($"RulesOffPeakHours '{windows}': ").And.Contain(problem).And.Contain("e.g. 22:00-06:00"));
    }

    [Test]
    public void The_keys_default_to_the_seeds_numbers_and_reach_the_rules()
    {
        var defaults = new BatterySchedulerOptions().Rules(10);
        Assert.That(defaults, Is.EqualTo(new RulesSettings()), "every key's default is the coordinator's own");

        // Every Rules* key, set away from its default, reaches the setting of the same name.
        var changed = new BatterySchedulerOptions();
        var keys = typeof(BatterySchedulerOptions).GetProperties().Where(p => p.Name.StartsWith("Rules", StringComparison.Ordinal) && p.CanWrite && p.Name != "RulesOffPeakHours").ToList();
        foreach (var key in keys)
        {
            key.SetValue(changed, key.GetValue(changed) switch
            {
                double d => d + 1,
                int i => i + 1,
                TimeSpan t => t + TimeSpan.FromMinutes(1),
                var other => throw new InvalidOperationException($"{key.Name} is a {other?.GetType()}"),
            });
        }
        var reached = changed.Rules(10);
        Assert.Multiple(() =>
        {
            foreach (var key in keys)
            {
                Assert.That(typeof(RulesSettings).GetProperty(key.Name["Rules".Length..])!.GetValue(reached), Is.EqualTo(key.GetValue(changed)), key.Name);
            }
        });
        Assert.That(keys, Has.Count.EqualTo(typeof(RulesSettings).GetProperties().Length - 1), "a key for every setting but the capacity, which the battery gives");

        var options = new BatterySchedulerOptions { RulesEmergencySocPct = 20, RulesOffPeakTolerance = 1.5, RulesEveningPeakFromHour = 18, RulesAdaptiveMinSamples = 4 };
        var settings = options.Rules(capacityKwh: 15);
        Assert.That((settings.EmergencySocPct, settings.OffPeakTolerance, settings.EveningPeakFromHour, settings.AdaptiveMinSamples, settings.CapacityKwh),
            Is.EqualTo((20.0, 1.5, 18, 4, 15.0)));
    }

    [Test]
    public void A_higher_emergency_threshold_charges_at_any_price_below_it()
    {
        // 2.0 now, 1.0 later: at 15 % the seed's opportunistic tier waits for the cheaper hours.
        var prices = Enumerable.Range(0, 24).Select(h => new PricePoint(T0.AddHours(h), h == 0 ? 2.0 : 1.0)).ToList();
        var seeds = new CoordinatorRules(new RulesSettings()).Decide(new RulesInputs(T0, 15, prices, []));
        var raised = new CoordinatorRules(new BatterySchedulerOptions { RulesEmergencySocPct = 20 }.Rules(10)).Decide(new RulesInputs(T0, 15, prices, []));

        Assert.That((seeds.Charge, raised.Charge, raised.Tier), Is.EqualTo((false, true, "D emergency")));
    }

    [Test]
    public void In_an_off_peak_window_the_opportunistic_tier_is_as_tolerant_as_configured()
    {
        // 0.36 now, 0.30 later: 20 % above the cheapest of the next 12 h, within 25 % (T2) and 30 % (configured), not 15 %.
        var prices = Enumerable.Range(0, 24).Select(h => new PricePoint(T0.AddHours(h), h == 0 ? 0.36 : 0.30)).ToList();
        RulesDecision At(double? t2, RulesSettings settings) => new CoordinatorRules(settings).Decide(new RulesInputs(T0, 40, prices, [], t2));

        Assert.That(At(null, new RulesSettings()).Charge, Is.False, "outside a window: 15 %");
        Assert.That(At(5, new RulesSettings()).Charge, Is.True, "in a window: the seed's 25 %");
        Assert.That(At(5, new RulesSettings { OffPeakTolerance = 1.1 }).Charge, Is.False, "in a window configured to 10 %");
    }

    [Test]
    public async Task The_service_feeds_the_off_peak_window_it_is_in()
    {
        // 01:00 UTC is 03:00 in Warsaw: 3 h left of 22:00-06:00. At 40 % the 10 kWh battery needs 4.5 kWh to reach 85 %: 1.5 h
        // at the seed's 3 kW, so only "just enough" time would start the T2 deadline rule; 3 h is not yet.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
        var service = new BatterySchedulerService(new BatterySchedulerOptions
        {
            Battery = "battery", Prices = "prices", GridMeter = "grid", Strategy = ScheduleStrategy.Rules, RulesOffPeakHours = "22:00-06:00",
        }, NullLogger.Instance, new ZonedClock(zone));
        var harness = new ServiceHarness(T0);
        await harness.TickAsync(service, TimeSpan.Zero, Site(40, now => now.Hour == 1 ? 0.36 : 0.30));

        Assert.That(harness.Decisions.Decisions[0].As<BatteryScheduleDecision>().Why, Does.StartWith("F opportunistic").And.Contain("within 25 %"),
            "the window's 25 % tolerance: the service passed the hours left");
    }

    [Test]
    public async Task The_price_history_behind_the_adaptive_thresholds_survives_a_restart()
    {
        var store = new MemoryStateStore();
        BatterySchedulerService Service() => new(new BatterySchedulerOptions
        {
            Battery = "battery", Prices = "prices", GridMeter = "grid", Strategy = ScheduleStrategy.Rules, RulesAdaptiveMinSamples = 2,
        }, NullLogger.Instance, TimeProvider.System, store);
        var harness = new ServiceHarness(T0);
        var first = Service();
        foreach (var hour in new[] { 0, 1, 2 })
        {
            await harness.TickAsync(first, TimeSpan.FromHours(hour), Site(60, _ => 0.30));
        }
        await harness.StopAsync(first, TimeSpan.FromHours(2), Site(60, _ => 0.30));

        Assert.That(store.Values.Keys, Does.Contain("BatteryScheduler/prices"));
        var kept = System.Text.Json.JsonSerializer.Deserialize<List<PricePoint>>(store.Values["BatteryScheduler/prices"])!;
        Assert.That(kept.Select(p => p.Start), Is.EqualTo(new[] { T0, T0.AddHours(1), T0.AddHours(2) }), "each slot's price, once");
    }

    private static Func<SiteBuilder, SiteBuilder> Site(double socPct, Func<DateTimeOffset, double> price) => site =>
    {
        var intervals = Enumerable.Range(0, 24).Select(h => T0.AddHours(h)).Select(start => new PriceInterval(start, start.AddHours(1), price(start), 0.05, false)).ToList();
        return site.GridMeter("grid", 500)
            .Device("battery", new DeviceReading { Timestamp = site.Now, Battery = new BatteryReading(socPct, 0) },
                DeviceFacts.Unknown with
                {
                    Roles = new HashSet<Type> { typeof(IBattery), typeof(IBatteryControl) }, Confirmed = true,
                    Battery = new BatteryFacts(10_000, 3000, 3000, 90, null, null) { Modes = AllBatteryModes.Set },
                })
            .Device("prices", new DeviceReading { Timestamp = site.Now, Prices = new PriceSeries("PLN", intervals) },
                DeviceFacts.Unknown with { Roles = new HashSet<Type> { typeof(IPriceSource) }, Confirmed = true });
    };

    // The system clock in another zone: the harness gives the time, the service only asks for the zone.
    private sealed class ZonedClock(TimeZoneInfo zone) : TimeProvider
    {
        public override TimeZoneInfo LocalTimeZone => zone;
    }
}
