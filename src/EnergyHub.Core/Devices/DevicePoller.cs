using EnergyHub.Protocols;
using EnergyHub.Readings;
using EnergyHub.Site;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Devices;

/// <summary>
/// Reads one device every <see cref="Options.DeviceOptions.PollInterval"/> and records the result in <see cref="SiteState"/>.
/// After failures it backs off exponentially, capped at <see cref="MaxBackoff"/> (or the poll interval when that is
/// longer), and keeps trying, so a device that comes back is seen Online within seconds.
/// </summary>
public sealed class DevicePoller(DeviceSession session, SiteState site, TimeProvider time, ILogger logger, Metrics.SiteMetrics? metrics = null)
{
    /// <summary>The longest wait between reads of a failing device: short, so a recovered device is probed promptly.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private string? _roles;
    private volatile bool _waiting;

    /// <summary>True while the loop waits for its next read (no read in flight): what a test on a manual clock waits for.</summary>
    public bool IsWaiting => _waiting;

    // One line when a read shows the device plays other roles than it said it might (a GoodWe on Model = Auto found to be a DT).
    private void ReportRoles(DeviceFacts before, DeviceFacts after)
    {
        var roles = after.RoleNames;
        if (roles == (_roles ?? before.RoleNames))
        {
            _roles = roles;
            return;
        }
        logger.LogInformation("{Device} plays {Roles} (before its {Which} read: {Before})", session.Id, roles, _roles is null ? "first" : "last", _roles ?? before.RoleNames);
        _roles = roles;
    }

    /// <summary>Reads once and records the outcome; returns the consecutive failure count afterwards.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        (DeviceHealth Before, DeviceHealth After) change;
        var started = time.GetTimestamp();
        try
        {
            var reading = await session.RunAsync((device, ct) => device.ReadAsync(ct).AsTask(), cancellationToken).ConfigureAwait(false);
            metrics?.ObserveRead(session.Id, succeeded: true, time.GetElapsedTime(started));
            var before = site.FactsOf(session.Id);
            change = site.RecordSuccess(session.Id, reading);
            ReportRoles(before, site.FactsOf(session.Id));
            if (logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug("Read {Device}: {Reading}", session.Id, ReadingSeries.Describe(reading));
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            metrics?.ObserveRead(session.Id, succeeded: false, time.GetElapsedTime(started));
            change = site.RecordFailure(session.Id, ex.Message);
            logger.LogDebug(ex, "Reading {Device} failed", session.Id);
        }
        // One line per change of health (SiteState compares with the health it last reported, so aging into Stale counts).
        if (change.After != change.Before)
        {
            var error = site.LastErrorOf(session.Id);
            var level = change.After == DeviceHealth.Online ? LogLevel.Information : LogLevel.Warning;
            var why = change.After == DeviceHealth.Stale && site.Snapshot().Devices.TryGetValue(session.Id, out var state) && state.Age is { } age
                ? $": its newest data is {Core.Config.Durations.Format(TimeSpan.FromSeconds(Math.Round(age.TotalSeconds)))} old, more than StaleAfter = {Core.Config.Durations.Format(session.Options.EffectiveStaleAfter)}"
                : error is null ? "" : $": {error}";
            logger.Log(level, "Device {Device} is {Health} (was {Previous}){Reason}", session.Id, change.After, change.Before, why);
        }
        return site.FailuresOf(session.Id);
    }

    /// <summary>Polls until <paramref name="cancellationToken"/> is cancelled, starting one interval (or backoff) after <paramref name="failures"/>.</summary>
    /// <param name="failures">The outcome of a first poll already made (see <see cref="PollOnceAsync"/>), or null to poll at once.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    public async Task RunAsync(int? failures, CancellationToken cancellationToken)
    {
        var interval = session.Options.PollInterval;
        var started = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (failures is not { } lastFailures)
            {
                started = time.GetUtcNow();
                try
                {
                    lastFailures = await PollOnceAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    // Stopping: a read cut short fails however the driver reports it (cancelled, or its link closed).
                    return;
                }
            }
            failures = null;
            var delay = lastFailures == 0 ? interval - (time.GetUtcNow() - started) : Backoff.Delay(interval, lastFailures, MaxBackoff);
            try
            {
                _waiting = true;
                await Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, time, cancellationToken).ConfigureAwait(false);
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
}
