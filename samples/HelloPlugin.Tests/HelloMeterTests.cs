using EnergyHub.Devices;
using EnergyHub.Options;
using EnergyHub.Plugins;
using EnergyHub.Services;
using EnergyHub.Testing;
using EnergyHub.Time;
using NUnit.Framework;

namespace HelloPlugin.Tests;

public sealed class HelloMeterTests
{
    [Test]
    public async Task Reports_the_configured_power_plus_a_step_per_read()
    {
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var meter = new HelloMeter("hello", new HelloOptions { Driver = "hello", PowerW = 250, StepW = 10 }, new ManualTimeProvider(now));

        var first = await meter.ReadAsync(CancellationToken.None);
        var second = await meter.ReadAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Timestamp, Is.EqualTo(now));
            Assert.That(first.Meter!.PowerW, Is.EqualTo(250));
            Assert.That(second.Meter!.PowerW, Is.EqualTo(260));
            Assert.That(meter.Role, Is.EqualTo(MeterRole.Load));
        });
    }

    [Test]
    public void Options_are_checked_as_the_host_checks_them()
    {
        Assert.That(OptionsCheck.Problems(new HelloOptions { Driver = "hello", PowerW = 250 }), Is.Empty);
        Assert.That(OptionsCheck.Problems(new HelloOptions { Driver = "hello", PowerW = 1e6 }).Single(), Does.StartWith("PowerW:"));
    }

    [Test]
    public void Registers_the_hello_driver()
    {
        var registry = new RecordingRegistry();
        new HelloPlugin().Register(registry);
        Assert.That(registry.Drivers, Is.EqualTo(new[] { "hello" }));
    }

    private sealed class RecordingRegistry : IPluginRegistry
    {
        public List<string> Drivers { get; } = [];

        public void AddDevice<TOptions, TDevice>(string driver, Func<TOptions, DeviceContext, TDevice> factory)
            where TOptions : DeviceOptions, new()
            where TDevice : class, IDevice => Drivers.Add(driver);

        public void AddService<TOptions>(string name, Func<TOptions, ServiceContext, IService> factory)
            where TOptions : ServiceOptions, new() => throw new AssertionException("HelloPlugin registers no service");
    }
}
