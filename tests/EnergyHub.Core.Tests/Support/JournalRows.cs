using EnergyHub.Core.Journal;
using Microsoft.Data.Sqlite;

namespace EnergyHub.Core.Tests.Support;

/// <summary>Reads a journal's database behind its back, as another program would.</summary>
public static class JournalRows
{
    /// <summary>The rows of <paramref name="table"/>.</summary>
    public static long Count(SiteJournal journal, string table)
    {
        using var connection = new SqliteConnection($"Data Source={journal.Location};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }
}
