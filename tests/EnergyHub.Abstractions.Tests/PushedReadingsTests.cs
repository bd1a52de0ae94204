using EnergyHub.Readings;

namespace EnergyHub.Abstractions.Tests;

public sealed class PushedReadingsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void The_newest_pushed_reading_is_read_and_a_late_older_message_does_not_replace_it()
    {
        var pushed = new PushedReadings("plug");
        Assert.That(() => pushed.Latest(), Throws.InvalidOperationException.With.Message.Contains("plug has sent nothing yet"));

        pushed.Push(new DeviceReading { Timestamp = T0.AddSeconds(10), Meter = new MeterReading(500) });
        pushed.Push(new DeviceReading { Timestamp = T0.AddSeconds(5), Meter = new MeterReading(100) });

        Assert.That(pushed.Latest().Meter!.PowerW, Is.EqualTo(500));
    }
}
