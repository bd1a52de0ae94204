using EnergyHub.Readings;
using EnergyHub.Services.ReadingLogger;
using EnergyHub.Site;

namespace EnergyHub.Services.Tests;

public sealed class ReadingLoggerTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Describes_health_age_and_every_value_with_its_unit()
    {
        var reading = new DeviceReading
        {
            Timestamp = Now.AddSeconds(-2),
            Meter = new MeterReading(-1234.5),
            Battery = new BatteryReading(56, 800),
        };
        var line = ReadingLoggerService.Describe(new DeviceState("grid", "sim", "Grid", reading, DeviceHealth.Online, TimeSpan.FromSeconds(2), 0, null));
        Assert.That(line, Is.EqualTo("Online, 2.0 s old: Meter.PowerW=-1234.5 W, Battery.SocPct=56 %, Battery.PowerW=800 W"));
    }

    [Test]
    public void Says_why_there_is_nothing_to_show()
    {
        var line = ReadingLoggerService.Describe(new DeviceState("grid", "sim", "Grid", null, DeviceHealth.Offline, null, 3, "connection refused"));
        Assert.That(line, Is.EqualTo("Offline, no reading yet: connection refused"));
    }
}
