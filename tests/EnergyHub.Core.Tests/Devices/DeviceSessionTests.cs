using EnergyHub.Core.Devices;
using EnergyHub.Core.Tests.Support;
using EnergyHub.Time;

namespace EnergyHub.Core.Tests.Devices;

/// <summary>Where a driver's call runs: on the thread pool under the daemon, on the caller's thread under a replay.</summary>
public sealed class DeviceSessionTests
{
    private static async Task<(int Caller, int Driver)> ThreadsOf(bool inline)
    {
        var time = new ManualTimeProvider(Sessions.Start);
        var session = new DeviceSession(new FakeMeter("grid", time), "fake", new Options.DeviceOptions { Driver = "fake" }, time) { CallsInline = inline };
        var caller = Environment.CurrentManagedThreadId;
        var driver = await session.RunAsync((_, _) => Task.FromResult(Environment.CurrentManagedThreadId), CancellationToken.None);
        return (caller, driver);
    }

    [Test]
    public async Task Under_the_daemon_a_driver_runs_on_the_thread_pool_so_a_blocking_one_cannot_hold_the_caller()
    {
        var (caller, driver) = await ThreadsOf(inline: false);
        Assert.That(driver, Is.Not.EqualTo(caller));
    }

    [Test]
    public async Task Under_a_replay_a_driver_runs_on_the_caller_s_thread()
    {
        var (caller, driver) = await ThreadsOf(inline: true);
        Assert.That(driver, Is.EqualTo(caller));
    }
}
