using System.Globalization;
using System.Text.Json;

namespace EnergyHub.Core.Journal;

/// <summary>
/// What the journal could not take at shutdown (disk full, database away), kept beside it as JSON lines
/// (<c>journal-spill-{time}.jsonl</c>, one record per line with its kind) and written into the journal at the next
/// start. When even the spill file cannot be written, <see cref="Summary"/> says in one line per kind what was lost.
/// </summary>
public static class JournalSpill
{
    private const string Prefix = "journal-spill-";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes <paramref name="records"/> to a new spill file in <paramref name="directory"/>; returns its path. Throws when it cannot.</summary>
    public static string Write(string directory, IReadOnlyList<JournalRecord> records, DateTimeOffset now)
    {
        var path = Path.Combine(directory, $"{Prefix}{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}.jsonl");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        try
        {
            using var writer = new StreamWriter(file);
            foreach (var record in records)
            {
                writer.WriteLine(JsonSerializer.Serialize(record, Json));
            }
            writer.Flush();
            file.Flush(flushToDisk: true);
        }
        catch
        {
            file.Dispose();
            File.Delete(path); // a half-written spill would be taken for the whole
            throw;
        }
        return path;
    }

    /// <summary>The spill files in <paramref name="directory"/>, oldest first.</summary>
    public static IReadOnlyList<string> Files(string directory) =>
        Directory.Exists(directory) ? [.. Directory.GetFiles(directory, $"{Prefix}*.jsonl").Order(StringComparer.Ordinal)] : [];

    /// <summary>The records of one spill file.</summary>
    /// <exception cref="JsonException">A line is not a record (the file was edited or cut): the file is left for the owner.</exception>
    public static List<JournalRecord> Read(string path) =>
        [.. File.ReadLines(path).Where(line => line.Length > 0).Select(line => JsonSerializer.Deserialize<JournalRecord>(line, Json)!)];

    /// <summary>One compact line per kind of record: how many, over which time, and each command (those matter most).</summary>
    public static IEnumerable<string> Summary(IReadOnlyList<JournalRecord> records)
    {
        static string Span(IEnumerable<JournalRecord> of) =>
            $"{of.Min(r => r.Time).UtcDateTime:yyyy-MM-dd HH:mm:ss}Z to {of.Max(r => r.Time).UtcDateTime:HH:mm:ss}Z";
        foreach (var kind in records.GroupBy(r => r.GetType()).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var list = kind.ToList();
            var name = kind.Key.Name.Replace("Record", "", StringComparison.Ordinal).ToLowerInvariant();
            var detail = kind.Key == typeof(CommandRecord)
                ? ": " + string.Join("; ", list.Cast<CommandRecord>().Select(c => $"{c.Time.UtcDateTime:HH:mm:ss}Z {c.Device} {c.Command}={c.Value.ToString(CultureInfo.InvariantCulture)} from {c.Source} ({c.Status})"))
                : kind.Key == typeof(ReadingRecord) ? $" of {list.Cast<ReadingRecord>().Select(r => r.Series).Distinct().Count()} series" : "";
            yield return $"{list.Count} {name} record(s), {Span(list)}{detail}";
        }
    }
}
