namespace EnergyHub.Core.Journal;

/// <summary>
/// Where the journal keeps its records: SQLite (<see cref="SqliteJournalStore"/>) or PostgreSQL
/// (<see cref="PostgresJournalStore"/>). Both keep the same contract: readings with hourly and daily rollups, minute
/// averages after retention, decisions, commands and health changes. <see cref="SiteJournal"/> queues records and hands
/// them over in batches.
/// </summary>
public interface IJournalStore : IDisposable
{
    /// <summary>Where the records are, for messages: a file path, or host/database (never the password).</summary>
    string Location { get; }

    /// <summary>Writes a batch in one transaction: all of it or nothing.</summary>
    Task WriteAsync(IReadOnlyList<JournalRecord> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Averages readings older than <paramref name="fullFrom"/> into minutes and deletes everything older than
    /// <paramref name="keepFrom"/>. Returns (rows averaged, rows deleted).
    /// </summary>
    (long Averaged, long Deleted) ApplyRetention(DateTimeOffset fullFrom, DateTimeOffset keepFrom);

    /// <summary>At most about <paramref name="points"/> buckets of <paramref name="series"/>, each with min, average and max.</summary>
    Task<List<HistoryPoint>> HistoryAsync(string series, DateTimeOffset from, DateTimeOffset to, int points, CancellationToken cancellationToken);

    /// <summary>Every series held, with device and unit, ordered by name.</summary>
    List<(string Series, string Device, string Unit)> Series();

    /// <summary>Decisions with an id above <paramref name="sinceId"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<List<StoredDecision>> DecisionsAsync(long sinceId, int limit, string? service, DateTimeOffset? from, CancellationToken cancellationToken);

    /// <summary>The raw values of <paramref name="series"/> in [from, to), ordered by time.</summary>
    IEnumerable<(DateTimeOffset Time, string Series, double Value)> Raw(IReadOnlyList<string> series, DateTimeOffset from, DateTimeOffset to);

    /// <summary>Gives unused space back; returns the size before and after, in bytes.</summary>
    (long Before, long After) Compact();
}
