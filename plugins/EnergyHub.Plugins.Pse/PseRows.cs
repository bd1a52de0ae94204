using System.Globalization;
using System.Text.Json;

namespace EnergyHub.Plugins.Pse;

/// <summary>One PSE price row: a period in UTC and its price in PLN/MWh.</summary>
/// <param name="Start">First instant (UTC).</param>
/// <param name="End">First instant after (UTC).</param>
/// <param name="PricePerMwh">PLN/MWh, net, may be negative.</param>
/// <param name="BusinessDate">The Polish delivery date.</param>
public sealed record PseRow(DateTimeOffset Start, DateTimeOffset End, double PricePerMwh, DateOnly BusinessDate);

/// <summary>
/// Reads a PSE report page (<c>{"value":[...], "nextLink": ...}</c>). Each row's end is <c>dtime_utc</c>, or else the
/// local <c>dtime</c> in Europe/Warsaw (hour 24 = next midnight; on the autumn DST day the repeated local times are
/// taken in order, summer time first). A row is an hour long when its <c>period_utc</c> (or <c>period</c>) label spans
/// exactly an hour, else a quarter-hour (local labels stretch or wrap across a DST change, so only "an hour" is
/// trusted); start = end − length.
/// </summary>
public static class PseRows
{
    private static readonly TimeZoneInfo Warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");

    /// <summary>The Polish date of <paramref name="instant"/>.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Warsaw).DateTime);

    /// <summary>Parses one page; <paramref name="priceField"/> is <c>csdac_pln</c> or <c>rce_pln</c>.</summary>
    /// <exception cref="FormatException">The page is not the documented JSON.</exception>
    public static (List<PseRow> Rows, string? NextLink) Parse(string json, string priceField)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.TryGetProperty("error", out var error))
            {
                throw new FormatException($"PSE reports an error: {error.GetProperty("message").GetString()}");
            }
            var rows = new List<PseRow>();
            var seenLocal = new HashSet<DateTime>();
            foreach (var row in root.GetProperty("value").EnumerateArray())
            {
                var date = DateOnly.ParseExact(Text(row, "business_date"), "yyyy-MM-dd", CultureInfo.InvariantCulture);
                var end = row.TryGetProperty("dtime_utc", out _)
                    ? new DateTimeOffset(ParseLocalStamp(Text(row, "dtime_utc")), TimeSpan.Zero)
                    : FromWarsaw(ParseLocalStamp(Text(row, "dtime")), seenLocal);
                var label = row.TryGetProperty("period_utc", out var periodUtc) ? periodUtc : row.TryGetProperty("period", out var period) ? period : default;
                var minutes = label.ValueKind == JsonValueKind.String && PeriodMinutes(label.GetString()!) == 60 ? 60 : 15;
                rows.Add(new PseRow(end.AddMinutes(-minutes), end, row.GetProperty(priceField).GetDouble(), date));
            }
            var next = root.TryGetProperty("nextLink", out var link) && link.ValueKind == JsonValueKind.String ? link.GetString() : null;
            return (rows, next);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"not a PSE report page: {ex.Message}", ex);
        }
    }

    private static string Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"a row has no text {name}");

    // "2025-10-02 00:15:00", "2025-08-31 00:15" or "2025-10-02 24:00" (= next day 00:00).
    private static DateTime ParseLocalStamp(string text)
    {
        var parts = text.Trim().Split(' ');
        var time = parts.Length == 2 ? parts[1].Split(':') : [];
        if (time.Length is not (2 or 3)
            || !DateTime.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            || !int.TryParse(time[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hours) || hours > 24
            || !int.TryParse(time[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes > 59
            || !(time.Length == 2 || int.TryParse(time[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 59)
            || day.Year is < 2000 or > 9000)
        {
            throw new FormatException($"'{text}' is not a time like 2025-10-02 00:15");
        }
        return day.AddHours(hours).AddMinutes(minutes).AddSeconds(time.Length > 2 ? int.Parse(time[2], CultureInfo.InvariantCulture) : 0);
    }

    private static DateTimeOffset FromWarsaw(DateTime local, HashSet<DateTime> seen)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (Warsaw.IsAmbiguousTime(unspecified))
        {
            var offsets = Warsaw.GetAmbiguousTimeOffsets(unspecified).OrderByDescending(o => o).ToArray();
            offset = seen.Add(unspecified) ? offsets[0] : offsets[^1];
        }
        else
        {
            offset = Warsaw.GetUtcOffset(unspecified);
        }
        return new DateTimeOffset(unspecified, offset).ToUniversalTime();
    }

    private static int PeriodMinutes(string period)
    {
        var ends = period.Split('-', StringSplitOptions.TrimEntries);
        static int Minutes(string hhmm) => int.Parse(hhmm[..2], CultureInfo.InvariantCulture) * 60 + int.Parse(hhmm[3..5], CultureInfo.InvariantCulture);
        var length = Minutes(ends[1]) - Minutes(ends[0]);
        return length > 0 ? length : length + 24 * 60;
    }
}
