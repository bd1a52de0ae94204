using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Devices;

/// <summary>
/// Runs one <see cref="DevicePoller"/> per device for the life of the host, then closes every device. Each device is
/// polled on its own from its first read on, so one whose first read hangs holds up only itself. Start-up waits for one
/// read of every device (each bounded by its timeout), so the services' first tick already sees the site.
/// </summary>
public sealed class DevicePollingService(DeviceRegistry devices, SiteState site, TimeProvider time, ILoggerFactory loggers, Metrics.SiteMetrics metrics) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private int _stopped;
    private readonly List<Task> _loops = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var pollers = devices.Sessions
            .Select(session => new DevicePoller(session, site, time, loggers.CreateLogger($"EnergyHub.Device.{session.Id}"), metrics))
            .ToList();
        var firsts = new List<Task<int>>();
        foreach (var poller in pollers)
        {
            var first = poller.PollOnceAsync(cancellationToken);
            firsts.Add(first);
            _loops.Add(ThenLoopAsync(poller, first));
        }
        await Task.WhenAll(firsts).ConfigureAwait(false);
    }

    private async Task ThenLoopAsync(DevicePoller poller, Task<int> first)
    {
        int failures;
        try
        {
            failures = await first.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // start-up was cut short; StartAsync reports it
        }
        await Task.Run(() => poller.RunAsync(failures, _stopping.Token), CancellationToken.None).ConfigureAwait(false);
    }

    // Each loop ends within its device's timeout once stopped; the host's token is not used, since the services may have
    // spent the host's whole budget confirming their safe states, and the devices must still be closed.
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return; // a host whose first stop failed is stopped again
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        var longest = devices.Sessions.Select(s => s.Options.Timeout).DefaultIfEmpty(TimeSpan.Zero).Max() + TimeSpan.FromSeconds(1);
        try
        {
            await Task.WhenAll(_loops).WaitAsync(longest, TimeProvider.System).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            loggers.CreateLogger<DevicePollingService>().LogWarning("Device pollers did not end within {Seconds} s; closing the devices anyway", longest.TotalSeconds);
        }
        catch (Exception ex)
        {
            loggers.CreateLogger<DevicePollingService>().LogError(ex, "A device poller ended with an error while stopping; closing the devices anyway");
        }
        try
        {
            await devices.DisposeAsync().ConfigureAwait(false);
        }
        catch (AggregateException ex)
        {
            loggers.CreateLogger<DevicePollingService>().LogWarning("{Problem}", ex.Message);
        }
        _stopping.Dispose();
    }
}
