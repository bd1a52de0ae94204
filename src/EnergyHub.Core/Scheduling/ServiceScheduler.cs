using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Scheduling;

/// <summary>
/// Starts one <see cref="ServiceRunner"/> loop per switched-on service, and on shutdown stops the loops and has every
/// service restore its safe state (in parallel, bounded by the host's shutdown timeout; services that stand in for
/// hardware, such as emulators, after the others).
/// </summary>
public sealed class ServiceScheduler(IEnumerable<ServiceRunner> runners, ILogger<ServiceScheduler> logger) : IHostedService
{
    private readonly List<ServiceRunner> _runners = runners.ToList();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var runner in _runners)
        {
            _loops.Add(Task.Run(() => runner.RunAsync(_stopping.Token), CancellationToken.None));
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
