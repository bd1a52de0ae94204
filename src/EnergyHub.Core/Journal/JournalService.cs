using EnergyHub.Core.Config;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Journal;

/// <summary>
/// Flushes the journal every <see cref="JournalOptions.FlushInterval"/>, applies retention hourly, and flushes once more
/// on shutdown. A failing journal (disk full, database locked or away) is one line when it starts failing and one when it writes
/// again, never a line per flush; control goes on either way, and shutdown never throws.
/// </summary>
public sealed class JournalService(SiteJournal journal, SiteConfig config, TimeProvider time, ILogger<JournalService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextRetention = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(config.Journal.FlushInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            try
            {
                await journal.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                if (time.GetUtcNow() >= nextRetention)
                {
                    var (averaged, deleted) = journal.ApplyRetention(time.GetUtcNow());
                    nextRetention = time.GetUtcNow().AddHours(1);
                    if (averaged + deleted > 0)
                    {
                        logger.LogInformation("Journal retention: {Averaged} readings averaged to minutes, {Deleted} old rows deleted", averaged, deleted);
                    }
                }
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException or UnauthorizedAccessException)
            {
                if (_failingSince is null)
                {
                    _failingSince = time.GetUtcNow();
                    _droppedBefore = journal.Dropped;
                    logger.LogError("Journal writes fail ({Error}) in {Path}: control goes on; up to {Capacity} records wait in memory, the oldest readings beyond that are dropped and counted",
                        ex.Message, journal.Location, config.Journal.QueueCapacity);
                }
                continue;
            }
            if (_failingSince is { } since)
            {
                logger.LogInformation("Journal writes again after {Duration} of failures; {Dropped} record(s) were dropped meanwhile",
                    Durations.Format(time.GetUtcNow() - since), journal.Dropped - _droppedBefore);
                _failingSince = null;
            }
        }
    }

    private DateTimeOffset? _failingSince;
    private long _droppedBefore;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Not the host's token: it may be spent by services confirming their safe states, and these records (those
            // safe-state commands among them) should still be written. SQLite bounds the flush (5 s when locked), Npgsql its connection timeout.
            await journal.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException or UnauthorizedAccessException or OperationCanceledException)
        {
            var lost = journal.AbandonQueued();
            logger.LogError("Journal: {Lost} record(s) could not be written at shutdown ({Error}) and are lost", lost, ex.Message);
        }
    }
}
