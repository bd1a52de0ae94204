using EnergyHub.Devices;
using EnergyHub.Readings;
using EnergyHub.Site;
using EnergyHub.Testing;

namespace EnergyHub.Services.Tests;

/// <summary>The test kit's switch, consumer and charger: the roles and readings a service finds, as the host would show them.</summary>
public sealed class SiteBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_metered_relay_is_a_switch_and_a_load_meter_and_an_unmetered_one_only_a_switch()
    {
        var site = new SiteBuilder(Now).Switch("heater", drawingW: 2000).Switch("pump").Build();

        Assert.That((site.Devices["heater"].Facts.Has<ISwitch>(), site.Devices["heater"].Facts.Has<IMeter>(), site.Devices["heater"].Facts.MeterRole),
            Is.EqualTo((true, true, (MeterRole?)MeterRole.Load)));
        Assert.That(site.Devices["heater"].Reading!.Meter!.PowerW, Is.EqualTo(2000));
        Assert.That((site.Devices["pump"].Facts.Has<ISwitch>(), site.Devices["pump"].Facts.Has<IMeter>(), site.Devices["pump"].Reading?.Meter), Is.EqualTo((true, false, (MeterReading?)null)));
    }

    [Test]
    public void A_consumer_reports_what_it_draws_and_the_allowance_it_follows()
    {
        var consumer = new SiteBuilder(Now).Consumer("boiler", 1200, allowanceW: 1500).Build().Devices["boiler"];

        Assert.That(consumer.Facts.Has<IConsumer>(), Is.True);
        Assert.That(consumer.Reading!.Consumer, Is.EqualTo(new ConsumerReading(1200, true) { AllowanceW = 1500 }));
        Assert.That(consumer.Health, Is.EqualTo(DeviceHealth.Online));
    }

    [Test]
    public void A_charger_is_a_wallbox_that_takes_a_current_with_the_cars_state_and_its_limits()
    {
        var ev = new SiteBuilder(Now).Charger("ev", EvCarState.Charging, powerW: 4140, currentA: 6, phases: 3, limits: new EvChargerLimits(6, 16, 3))
            .Build().Devices["ev"];

        Assert.That(new[] { typeof(IEvCharger), typeof(IConsumer), typeof(ICurrentLimiter) }.All(ev.Facts.Roles.Contains), Is.True);
        Assert.That((ev.Reading!.Charger!.Car, ev.Reading.Charger.PowerW, ev.Reading.Charger.Phases, ev.Reading.Consumer!.PowerW),
            Is.EqualTo((EvCarState.Charging, 4140.0, 3, 4140.0)));
        Assert.That(ev.Facts.Charger, Is.EqualTo(new EvChargerLimits(6, 16, 3)));
    }
}
