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
    private static Func<SiteBuilder, SiteBuilder> Wallbox(double currentA) => site => site.Device("ev",
        new DeviceReading
        {
            Timestamp = site.Now,
            Charger = new EvChargerReading(currentA > 0 ? EvCarState.Charging : EvCarState.Connected, currentA * 3 * 230, currentA, currentA > 0 ? 3 : 0),
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
}
