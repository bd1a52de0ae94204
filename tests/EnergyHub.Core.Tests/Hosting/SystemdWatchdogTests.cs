using EnergyHub.Core.Hosting;
using EnergyHub.Core.Scheduling;
using EnergyHub.Core.Tests.Support;

namespace EnergyHub.Core.Tests.Hosting;

public sealed class SystemdWatchdogTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    // Guard: Interval 5 s (the fake plugin's default), Timeout 30 s: alive while it ticked within 2 × 5 + 30 = 40 s.
    private static readonly EnergyHub.Core.Config.SiteConfig Site = TestSite.Load("[Device:roof]\nDriver = fake-inverter\n[Services]\nGuard = true\n[Guard]\nInverter = roof\n");

    private static ServiceStatus Status(DateTimeOffset? lastTick, DateTimeOffset? restartAt = null) =>
        new("Guard", ServiceState.Running, lastTick, 1, 0, 0, null, restartAt);

    [TestCase(39, false)]
    [TestCase(41, true)]
    public void A_loop_that_stopped_ticking_stops_the_pings(int secondsSinceTick, bool stalled)
    {
        var board = new ServiceStatusBoard();
        board.Set(Status(Now.AddSeconds(-secondsSinceTick)));
        Assert.That(SystemdWatchdog.Stalled(Site, board, Now, Now.AddHours(-1)), stalled ? Is.EqualTo(new[] { "Guard" }) : Is.Empty);
    }

    [Test]
    public void A_service_waiting_for_its_restart_is_not_stalled_and_one_not_yet_ticked_counts_from_the_start()
    {
        var board = new ServiceStatusBoard();
        board.Set(Status(Now.AddMinutes(-4), restartAt: Now.AddMinutes(1)));
        Assert.That(SystemdWatchdog.Stalled(Site, board, Now, Now.AddHours(-1)), Is.Empty, "backing off before a restart is alive");

        var fresh = new ServiceStatusBoard();
        Assert.That(SystemdWatchdog.Stalled(Site, fresh, Now, Now.AddSeconds(-10)), Is.Empty);
        Assert.That(SystemdWatchdog.Stalled(Site, fresh, Now, Now.AddMinutes(-10)), Is.EqualTo(new[] { "Guard" }));
    }
}
