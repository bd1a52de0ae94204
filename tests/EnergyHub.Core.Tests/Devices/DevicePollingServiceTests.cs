using EnergyHub.TestSupport;
using EnergyHub.Core.Devices;
using EnergyHub.Core.Tests.Support;
using EnergyHub.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests.Devices;

public sealed class DevicePollingServiceTests
{
    [Test]
    public async Task A_device_whose_first_read_hangs_holds_up_only_itself()
    {
        // The real clock with a short poll interval: the healthy meter's loop runs while the stuck read waits for its
        // ten-minute timeout, which never comes within the test.
        var time = TimeProvider.System;
        var (stuck, healthy) = (new FakeMeter("stuck", time) { HangUntil = new TaskCompletionSource() }, new FakeMeter("grid", time));
        var options = new DeviceOptions { Driver = "fake", PollInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromMinutes(10) };
        var devices = new DeviceRegistry([Sessions.Of(stuck, time, options), Sessions.Of(healthy, time, options)]);
        var polling = new DevicePollingService(devices, new SiteState(devices, time), time, NullLoggerFactory.Instance, new Metrics.SiteMetrics());

        var starting = polling.StartAsync(CancellationToken.None);
        await Eventually.Until(() => healthy.Reads >= 4, "the healthy meter is polled again and again");

        Assert.That((starting.IsCompleted, stuck.Reads), Is.EqualTo((false, 1)), "start-up still waits for the stuck device's first read");
        stuck.HangUntil.SetResult();
        await starting.WaitAsync(TimeSpan.FromSeconds(10));
        await polling.StopAsync(CancellationToken.None);
    }
}
