using EnergyHub.Core.Devices;

namespace EnergyHub.Core.Scheduling;

/// <summary>
/// The site cycle: every <c>interval</c> one snapshot of the site, and every member service ticks on it, one after the
/// other in priority order (lower first, ties in config order), so each decides on the same measurements and after the
/// commands of those before it went through the gate. A member that failed sits out until its restart is due; the others
/// go on. Ticks missed while a cycle overran are skipped.
/// </summary>
public sealed class SiteCycle(IEnumerable<ServiceRunner> members, SiteState site, TimeSpan interval, TimeProvider time)
{
    private volatile bool _waiting;

    /// <summary>The members in the order they tick.</summary>
    public IReadOnlyList<ServiceRunner> Members { get; } = members.OrderBy(m => m.Options.Priority).ToList();

    /// <summary>True while the cycle waits for its next turn (no member runs): what a test on a manual clock waits for.</summary>
    public bool IsWaiting => _waiting;

    /// <summary>Runs cycles until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var due = time.GetUtcNow();
        while (!stopping.IsCancellationRequested)
        {
            await RunOnceAsync(stopping).ConfigureAwait(false);
            var now = time.GetUtcNow();
            do
            {
                due += interval;
            }
            while (due <= now);
            try
            {
                _waiting = true;
                await Task.Delay(due - now, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                _waiting = false;
            }
        }
    }

    /// <summary>One cycle: one snapshot, every member that is not waiting for a restart ticks on it in order.</summary>
    public async Task RunOnceAsync(CancellationToken stopping)
    {
        var snapshot = site.Snapshot();
        foreach (var member in Members)
        {
            if (stopping.IsCancellationRequested)
            {
                return;
            }
            if (member.RestartAt is { } restart && restart > snapshot.Now)
            {
                continue;
            }
            await member.TickAsync(stopping, snapshot).ConfigureAwait(false);
        }
    }
}
