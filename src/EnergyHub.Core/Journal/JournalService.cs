using EnergyHub.Core.Config;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Journal;

/// <summary>Flushes the journal every <see cref="JournalOptions.FlushInterval"/>, applies retention hourly, and flushes once more on shutdown.</summary>
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
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                logger.LogError("Journal write failed ({Error}); the records stay queued and are retried", ex.Message);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await journal.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
