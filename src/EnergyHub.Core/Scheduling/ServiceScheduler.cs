using EnergyHub.Core.Devices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Scheduling;

/// <summary>How the site cycle runs: on which site state and clock, and how often.</summary>
/// <param name="Site">The site whose snapshot the members share.</param>
/// <param name="Interval">The time between two cycles.</param>
/// <param name="Time">The clock.</param>
public sealed record SiteCycleSettings(SiteState Site, TimeSpan Interval, TimeProvider Time);

/// <summary>
/// Starts one <see cref="ServiceRunner"/> loop per switched-on service on its own timer and one <see cref="SiteCycle"/>
/// for the services with <c>SiteCycle = true</c>; on shutdown stops the loops and has every service restore its safe state
/// (in parallel, bounded by the host's shutdown timeout; services that stand in for hardware, such as emulators, after
/// the others).
/// </summary>
public sealed class ServiceScheduler(IEnumerable<ServiceRunner> runners, ILogger<ServiceScheduler> logger, SiteCycleSettings? cycle = null) : IHostedService
{
    private readonly List<ServiceRunner> _runners = runners.ToList();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];

    /// <summary>The site cycle, when some service runs in it.</summary>
    public SiteCycle? Cycle { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var runner in _runners.Where(r => !r.Options.SiteCycle))
        {
            _loops.Add(Task.Run(() => runner.RunAsync(_stopping.Token), CancellationToken.None));
        }
        var members = _runners.Where(r => r.Options.SiteCycle).ToList();
        if (members.Count > 0)
        {
            var settings = cycle ?? throw new InvalidOperationException("services run in the site cycle, but no site cycle was set up");
            Cycle = new SiteCycle(members, settings.Site, settings.Interval, settings.Time);
            _loops.Add(Task.Run(() => Cycle.RunAsync(_stopping.Token), CancellationToken.None));
            logger.LogInformation("Site cycle every {Interval}: {Services}", Config.Durations.Format(settings.Interval), string.Join(" → ", Cycle.Members.Select(m => m.Name)));
        }
        logger.LogInformation("Started {Count} service(s): {Services}", _runners.Count,
            _runners.Count == 0 ? "none" : string.Join(", ", _runners.Select(r => r.Name)));
        return Task.CompletedTask;
    }

    /// <summary>
    /// The longest the services may take to confirm their safe states on shutdown (within the host's own budget), so the
    /// pollers and the journal's last flush still have time after them.
    /// </summary>
    public static readonly TimeSpan SafeStateBudget = TimeSpan.FromSeconds(20);

    public async Task StopAsync(CancellationToken hostToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(hostToken);
        budget.CancelAfter(SafeStateBudget);
        var cancellationToken = budget.Token;
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            logger.LogError("Service loops did not end within the shutdown budget; restoring safe states anyway");
        }
        // Services that stand in for hardware stop last, so the others can still restore their safe states through them.
        foreach (var last in new[] { false, true })
        {
            var confirmed = await Task.WhenAll(_runners.Where(r => r.StandsInForHardware == last).Select(r => r.ShutdownAsync(cancellationToken))).ConfigureAwait(false);
            SafeStatesConfirmed &= confirmed.All(c => c);
        }
        _stopping.Dispose();
    }

    /// <summary>False after a stop in which some service's safe state was not confirmed; the process should then exit non-zero.</summary>
    public bool SafeStatesConfirmed { get; private set; } = true;
}
