using EnergyHub.Core.Time;
using EnergyHub.Devices;

namespace EnergyHub.Plugins.Simulator.Tests;

public sealed class SimMeterTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static async Task<double> PowerAt(double hour, MeterRole role = MeterRole.Grid, double noise = 0, int seed = 1)
    {
        var time = new ManualTimeProvider(Midnight.AddHours(hour));
        var meter = new SimMeter("grid", new SimMeterOptions { Driver = "sim-meter", Role = role, NoiseW = noise, Seed = seed }, time);
        return (await meter.ReadAsync(CancellationToken.None)).Meter!.PowerW;
    }

    [Test]
    public async Task A_grid_meter_exports_at_noon_and_imports_at_night()
    {
        Assert.That(await PowerAt(12), Is.LessThan(-3000), "export is negative");
        Assert.That(await PowerAt(2), Is.EqualTo(350).Within(1), "night: base load imported");
        Assert.That(await PowerAt(19), Is.GreaterThan(1500), "evening peak imported");
    }

    [Test]
    public async Task Pv_and_load_roles_are_positive_in_their_own_direction()
    {
        Assert.That(await PowerAt(12, MeterRole.Pv), Is.EqualTo(4000).Within(1));
        Assert.That(await PowerAt(0, MeterRole.Pv), Is.Zero);
        Assert.That(await PowerAt(12, MeterRole.Load), Is.GreaterThan(300));
    }

    [Test]
    public async Task Noise_is_deterministic_for_a_seed()
    {
        Assert.That(await PowerAt(10, noise: 50, seed: 7), Is.EqualTo(await PowerAt(10, noise: 50, seed: 7)));
        Assert.That(await PowerAt(10, noise: 50, seed: 7), Is.Not.EqualTo(await PowerAt(10, noise: 50, seed: 8)));
    }

    [Test]
    public async Task Phases_add_up_to_the_total()
    {
        var time = new ManualTimeProvider(Midnight.AddHours(9));
        var reading = await new SimMeter("grid", new SimMeterOptions { Driver = "sim-meter" }, time).ReadAsync(CancellationToken.None);
        Assert.That(reading.Meter!.Phases, Has.Count.EqualTo(3));
        Assert.That(reading.Meter.Phases.Sum(p => p.PowerW!.Value), Is.EqualTo(reading.Meter.PowerW).Within(0.2));
        Assert.That(reading.Timestamp, Is.EqualTo(time.GetUtcNow()));
    }
}
