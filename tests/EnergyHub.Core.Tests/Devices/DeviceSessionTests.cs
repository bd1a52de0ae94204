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

    [Test]
    public async Task Under_an_accelerated_clock_a_call_s_timeout_is_real_time()
    {
        // At 10 000× a 10 s timeout was a millisecond of real time: every real read timed out.
        var time = new Core.Time.ScaledTimeProvider(Sessions.Start, 10_000);
        var session = new DeviceSession(new FakeMeter("grid", time), "fake", new Options.DeviceOptions { Driver = "fake", Timeout = TimeSpan.FromSeconds(10) }, time);

        var answer = await session.RunAsync(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, ct);
            return 42;
        }, CancellationToken.None);

        Assert.That(answer, Is.EqualTo(42));
        Assert.That(Core.Time.TimeoutClock.For(new Core.Time.ZonedTimeProvider(time, TimeZoneInfo.Utc)), Is.SameAs(TimeProvider.System));
        var manual = new ManualTimeProvider(Sessions.Start);
        Assert.That(Core.Time.TimeoutClock.For(manual), Is.SameAs(manual), "tests keep driving timeouts by hand");
    }
}
