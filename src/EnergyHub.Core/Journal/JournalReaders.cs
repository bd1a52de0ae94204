using System.Data.Common;

namespace EnergyHub.Core.Journal;

/// <summary>Rows of the journal's queries as records, the same for both stores (their queries return the same columns).</summary>
internal static class JournalReaders
{
    /// <summary>bucket start (ms), min, avg, max, count.</summary>
    public static async Task<List<HistoryPoint>> HistoryAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var result = new List<HistoryPoint>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new HistoryPoint(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetInt64(4)));
        }
        return result;
    }

    /// <summary>id, ts (ms), service, decision, details.</summary>
    public static async Task<List<StoredDecision>> DecisionsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var result = new List<StoredDecision>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new StoredDecision(reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }
        return result;
    }

    /// <summary>series, device, unit.</summary>
    public static List<(string Series, string Device, string Unit)> Series(DbDataReader reader)
    {
        var result = new List<(string, string, string)>();
        while (reader.Read())
        {
            result.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        return result;
    }
}
