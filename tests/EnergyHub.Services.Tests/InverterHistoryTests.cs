using EnergyHub.Readings;
using EnergyHub.Services.ExportGuard;

namespace EnergyHub.Services.Tests;

public sealed class InverterHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static DeviceReading Inverter(int seconds, double watts) =>
        new() { Timestamp = T0.AddSeconds(seconds), Inverter = new InverterReading(watts, watts) };

    [Test]
    public void The_output_nearest_the_meters_instant_is_used_for_the_balance()
    {
        var history = new InverterHistory();
        history.At(null, Inverter(0, 1000));
        history.At(null, Inverter(5, 1500));
        history.At(null, Inverter(10, 3000));

        Assert.That(history.At(T0.AddSeconds(4), Inverter(10, 3000)), Is.EqualTo(1500), "the meter saw the site at 4 s");
        Assert.That(history.At(null, Inverter(15, 3100)), Is.EqualTo(3100), "no meter instant: the latest");
        Assert.That(history.At(T0.AddSeconds(1), null), Is.EqualTo(1000));
    }

    [Test]
    public void Without_any_inverter_reading_there_is_no_output()
    {
        Assert.That(new InverterHistory().At(T0, null), Is.Null);
    }
}
