using EnergyHub.Time;

namespace EnergyHub.Core.Tests.Time;

public sealed class ManualTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_delay_completes_only_when_time_is_advanced_past_it()
    {
        var time = new ManualTimeProvider(Start);
        var delay = Task.Delay(TimeSpan.FromSeconds(10), time);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.That(delay.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromSeconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(time.GetUtcNow(), Is.EqualTo(Start.AddSeconds(10)));
    }

    [Test]
    public void Periodic_timers_fire_once_per_period_in_order_with_the_clock_at_the_due_time()
    {
        var time = new ManualTimeProvider(Start);
        var fired = new List<(string, double)>();
        using var fast = time.CreateTimer(_ => fired.Add(("fast", (time.GetUtcNow() - Start).TotalSeconds)), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        using var slow = time.CreateTimer(_ => fired.Add(("slow", (time.GetUtcNow() - Start).TotalSeconds)), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(6));

        Assert.That(fired, Is.EqualTo(new[] { ("fast", 2.0), ("slow", 3.0), ("fast", 4.0), ("fast", 6.0) }));
        Assert.That(time.ArmedTimers, Is.EqualTo(1), "the one-shot timer is spent");
    }

    [Test]
    public void Time_never_goes_back() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ManualTimeProvider(Start).Advance(TimeSpan.FromSeconds(-1)));
}
