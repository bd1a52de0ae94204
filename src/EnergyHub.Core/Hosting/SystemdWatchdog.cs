using EnergyHub.Core.Config;
using EnergyHub.Core.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Hosting;

/// <summary>
/// Under systemd (<c>Type=notify</c>): says READY=1 once everything has started, STOPPING=1 on the way out, and, with
/// <c>WatchdogSec=</c>, WATCHDOG=1 at half that interval only while every service's control loop is alive (it ticked
/// within two intervals plus its timeout, or it waits for a scheduled restart). A hung loop stops the pings and systemd
/// restarts EnergyHub; ExecStopPost then puts the devices into their safe states.
/// </summary>
public sealed class SystemdWatchdog(SiteConfig config, ServiceStatusBoard board, TimeProvider time, ILogger<SystemdWatchdog> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private int _stopped;
    private SystemdNotifier? _notifier;
    private Task _loop = Task.CompletedTask;
    private DateTimeOffset _started;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _notifier = SystemdNotifier.FromEnvironment();
        if (_notifier is null)
        {
            return Task.CompletedTask;
        }
        _started = time.GetUtcNow();
        Send("READY=1");
        if (SystemdNotifier.WatchdogInterval() is { } interval)
        {
            logger.LogInformation("systemd watchdog: pinging every {Seconds:0.#} s while every service's loop is alive", interval.TotalSeconds / 2);
            _loop = Task.Run(() => PingAsync(interval / 2, _stopping.Token), CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    /// <summary>The services whose loops have not ticked when they should have; empty when all are alive.</summary>
    public static IReadOnlyList<string> Stalled(SiteConfig config, ServiceStatusBoard board, DateTimeOffset now, DateTimeOffset started)
    {
        var statuses = board.All().ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
        return config.Services.Where(service =>
        {
            var status = statuses.GetValueOrDefault(service.Name);
            if (status?.RestartAt > now)
            {
                return false;
            }
            var last = status?.LastTickAt ?? started;
            return now - last > 2 * service.Options.Interval + service.Options.Timeout;
        }).Select(s => s.Name).ToList();
    }

    private async Task PingAsync(TimeSpan every, CancellationToken cancellationToken)
    {
        var warned = false;
        using var timer = new PeriodicTimer(every);
        do
        {
            var stalled = Stalled(config, board, time.GetUtcNow(), _started);
            if (stalled.Count == 0)
            {
                Send("WATCHDOG=1");
                warned = false;
            }
            else if (!warned)
            {
                warned = true;
                logger.LogError("Service loop(s) {Services} stopped ticking: no longer pinging systemd's watchdog, which will restart EnergyHub", string.Join(", ", stalled));
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false) is true);
    }

    private void Send(string message)
    {
        if (_notifier?.Notify(message) is { } error)
        {
            logger.LogWarning("sd_notify {Message} failed: {Error}", message, error);
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return; // a host whose first stop failed is stopped again
        }
        Send("STOPPING=1");
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _notifier?.Dispose();
        _stopping.Dispose();
    }
}
