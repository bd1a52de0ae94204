using EnergyHub.Core.Config;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Journal;

/// <summary>
/// Flushes the journal every <see cref="JournalOptions.FlushInterval"/>, applies retention hourly, and flushes once more
/// on shutdown. A failing journal (disk full, database locked or away) is one line when it starts failing and one when it writes
/// again, never a line per flush; control goes on either way, and shutdown never throws. At shutdown a failing flush is
/// retried for <see cref="ShutdownRetry"/>; what still cannot be written goes to a spill file beside the journal
/// (<see cref="JournalSpill"/>, written into the journal at the next start), or, when even that fails, to the log in
/// one line per kind of record, counted in <see cref="SiteJournal.LostAtShutdown"/> (the process then exits non-zero).
/// </summary>
public sealed class JournalService(SiteJournal journal, SiteConfig config, TimeProvider time, ILogger<JournalService> logger) : BackgroundService
{
    /// <summary>How long a failing flush is retried at shutdown (real time, within the host's shutdown budget).</summary>
    public static readonly TimeSpan ShutdownRetry = TimeSpan.FromSeconds(5);

    private string SpillDirectory => config.Journal.Backend == JournalBackend.Postgres ? config.DataDir : Path.GetDirectoryName(config.JournalPath)!;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ImportSpillsAsync(stoppingToken).ConfigureAwait(false);
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
            catch (Exception ex) when (IsStoreFailure(ex))
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

    // What a disk, a database or the way to it throws when it cannot take records.
    private static bool IsStoreFailure(Exception ex) =>
        ex is System.Data.Common.DbException or IOException or TimeoutException or UnauthorizedAccessException;

    // What the last shutdown could not write goes in first; a file that cannot be written yet stays for the next start.
    private async Task ImportSpillsAsync(CancellationToken cancellationToken)
    {
        foreach (var file in JournalSpill.Files(SpillDirectory))
        {
            try
            {
                var records = JournalSpill.Read(file);
                await journal.ImportAsync(records, cancellationToken).ConfigureAwait(false);
                File.Delete(file);
                logger.LogInformation("Journal: wrote the {Count} record(s) the last shutdown kept in {File}", records.Count, file);
            }
            catch (Exception ex) when (IsStoreFailure(ex) || ex is System.Text.Json.JsonException)
            {
                logger.LogWarning("Journal: {File} (kept at a shutdown) cannot be written into the journal yet ({Error}); it stays and is tried at the next start", file, ex.Message);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // Not the host's token: it may be spent by services confirming their safe states, and these records (those
        // safe-state commands among them) should still be written. SQLite bounds a flush (5 s when locked), Npgsql its connection timeout.
        var retryUntil = TimeProvider.System.GetUtcNow() + ShutdownRetry;
        Exception? failure;
        while (true)
        {
            try
            {
                await journal.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (IsStoreFailure(ex) || ex is OperationCanceledException)
            {
                failure = ex;
            }
            if (TimeProvider.System.GetUtcNow() >= retryUntil)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
        }
        var queued = journal.TakeQueued();
        if (queued.Count == 0)
        {
            return;
        }
        try
        {
            var file = JournalSpill.Write(SpillDirectory, queued, time.GetUtcNow());
            logger.LogWarning("Journal: {Count} record(s) could not be written at shutdown ({Error}); kept in {File}, written into the journal at the next start",
                queued.Count, failure.Message, file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            journal.CountLost(queued.Count);
            logger.LogError("Journal: {Count} record(s) could not be written at shutdown ({Error}) nor kept in {Directory} ({SpillError}); they are lost. What they were:",
                queued.Count, failure.Message, SpillDirectory, ex.Message);
            foreach (var line in JournalSpill.Summary(queued))
            {
                logger.LogError("Journal lost {Records}", line);
            }
        }
    }
}
