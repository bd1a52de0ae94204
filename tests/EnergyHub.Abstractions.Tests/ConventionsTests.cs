using EnergyHub.Readings;
using EnergyHub.Site;

namespace EnergyHub.Abstractions.Tests;

public sealed class ConventionsTests
{
    [TestCase("PowerW", "W")]
    [TestCase("DailyEnergyWh", "Wh")]
    [TestCase("SocPct", "%")]
    [TestCase("ActivePowerLimitPct", "%")]
    [TestCase("VoltageV", "V")]
    [TestCase("CurrentA", "A")]
    [TestCase("TemperatureC", "°C")]
    [TestCase("FrequencyHz", "Hz")]
    [TestCase("FeedInPerKwh", "/kWh")]
    [TestCase("IsOn", null)]
    [TestCase("W", null)]
    public void Units_are_read_off_property_names(string name, string? unit) =>
        Assert.That(Conventions.UnitOf(name), Is.EqualTo(unit));

    [Test]
    public void Every_numeric_reading_property_carries_a_unit()
    {
        var parts = new[] { typeof(InverterReading), typeof(MeterReading), typeof(PhaseReading), typeof(BatteryReading), typeof(ConsumerReading), typeof(EvChargerReading), typeof(PriceInterval) };
        var unitless = parts.SelectMany(t => t.GetProperties())
            .Where(p => p.PropertyType == typeof(double) || p.PropertyType == typeof(double?))
            .Where(p => Conventions.UnitOf(p.Name) is null)
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}")
            .ToList();
        Assert.That(unitless, Is.Empty);
    }

    [Test]
    public void A_price_series_finds_the_interval_containing_an_instant()
    {
        var start = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var series = new PriceSeries("AUD",
        [
            new PriceInterval(start, start.AddMinutes(30), 0.30, -0.05, false),
            new PriceInterval(start.AddMinutes(30), start.AddMinutes(60), 0.25, 0.08, true),
        ]);
        Assert.Multiple(() =>
        {
            Assert.That(series.At(start)!.FeedInPerKwh, Is.EqualTo(-0.05), "negative feed-in: the owner pays to export");
            Assert.That(series.At(start.AddMinutes(30))!.IsForecast, Is.True, "intervals are half-open");
            Assert.That(series.At(start.AddMinutes(60)), Is.Null);
        });
    }

    [Test]
    public void Fresh_returns_a_reading_only_when_online_and_young_enough()
    {
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var reading = new DeviceReading { Timestamp = now.AddSeconds(-20), Meter = new MeterReading(-500) };
        DeviceState State(DeviceHealth health) => new("grid", "sim-meter", "Grid", reading, health, TimeSpan.FromSeconds(20), 0, null);
        var online = new SiteSnapshot(now, new Dictionary<string, DeviceState> { ["grid"] = State(DeviceHealth.Online) });
        var stale = new SiteSnapshot(now, new Dictionary<string, DeviceState> { ["grid"] = State(DeviceHealth.Stale) });

        Assert.Multiple(() =>
        {
            Assert.That(online.Fresh("grid", TimeSpan.FromSeconds(30)), Is.SameAs(reading));
            Assert.That(online.Fresh("grid", TimeSpan.FromSeconds(10)), Is.Null);
            Assert.That(stale.Fresh("grid", TimeSpan.FromMinutes(5)), Is.Null);
            Assert.That(online.Fresh("nope", TimeSpan.FromMinutes(5)), Is.Null);
            Assert.That(() => online["nope"], Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("configured: grid"));
        });
    }

    [Test]
    public void The_sdk_depends_only_on_the_bcl_and_extensions_abstractions()
    {
        var references = typeof(Conventions).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.That(references.Where(r => !r.StartsWith("System", StringComparison.Ordinal) && r != "netstandard"
            && !(r.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && r.EndsWith(".Abstractions", StringComparison.Ordinal))),
            Is.Empty);
    }
}
