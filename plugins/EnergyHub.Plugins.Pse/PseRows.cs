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
                var date = DateOnly.ParseExact(row.GetProperty("business_date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                var end = row.TryGetProperty("dtime_utc", out var utc)
                    ? new DateTimeOffset(ParseLocalStamp(utc.GetString()!), TimeSpan.Zero)
                    : FromWarsaw(ParseLocalStamp(row.GetProperty("dtime").GetString()!), seenLocal);
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

    // "2025-10-02 00:15:00", "2025-08-31 00:15" or "2025-10-02 24:00" (= next day 00:00).
    private static DateTime ParseLocalStamp(string text)
    {
        var parts = text.Trim().Split(' ');
        var day = DateTime.ParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var time = parts[1].Split(':');
        return day.AddHours(int.Parse(time[0], CultureInfo.InvariantCulture))
            .AddMinutes(int.Parse(time[1], CultureInfo.InvariantCulture))
            .AddSeconds(time.Length > 2 ? double.Parse(time[2], CultureInfo.InvariantCulture) : 0);
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
