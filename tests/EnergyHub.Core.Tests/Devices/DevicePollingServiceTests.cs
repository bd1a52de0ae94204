using EnergyHub.Core.Devices;
using EnergyHub.Core.Tests.Support;
using EnergyHub.Options;
using EnergyHub.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests.Devices;

public sealed class DevicePollingServiceTests
{
    [Test]
    public async Task A_device_whose_first_read_hangs_holds_up_only_itself()
    {
        var time = new ManualTimeProvider(Sessions.Start);
        var (stuck, healthy) = (new FakeMeter("stuck", time) { HangUntil = new TaskCompletionSource() }, new FakeMeter("grid", time));
        var options = new DeviceOptions { Driver = "fake", PollInterval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromMinutes(10) };
        var devices = new DeviceRegistry([Sessions.Of(stuck, time, options), Sessions.Of(healthy, time, options)]);
        var polling = new DevicePollingService(devices, new SiteState(devices, time), time, NullLoggerFactory.Instance, new Metrics.SiteMetrics());

        var starting = polling.StartAsync(CancellationToken.None);
        for (var poll = 2; poll <= 4; poll++)
        {
            await Sessions.Until(() => time.ArmedTimers >= 2, "the healthy meter waits for its next poll beside the stuck read's timeout");
            time.Advance(options.PollInterval);
            await Sessions.Until(() => healthy.Reads >= poll, $"poll {poll} of the healthy meter");
        }

        Assert.That(starting.IsCompleted, Is.False, "start-up still waits for the stuck device's first read");
        stuck.HangUntil.SetResult();
        await starting.WaitAsync(TimeSpan.FromSeconds(10));
        await polling.StopAsync(CancellationToken.None);
    }
}
