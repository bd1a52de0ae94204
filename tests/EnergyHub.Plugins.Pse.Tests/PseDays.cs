using System.Globalization;
using System.Text;

namespace EnergyHub.Plugins.Pse.Tests;

/// <summary>Builds PSE report pages for whole Polish days, DST days included, the way PSE lays them out.</summary>
public static class PseDays
{
    private static readonly TimeZoneInfo Warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");

    /// <summary>A page of quarter-hour rows for <paramref name="date"/>; price = <paramref name="price"/>(index).</summary>
    public static string Page(DateOnly date, string field, Func<int, double> price, bool withUtc = true)
    {
        var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), Warsaw.GetUtcOffset(date.ToDateTime(TimeOnly.MinValue))).ToUniversalTime();
        var nextStart = new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), Warsaw.GetUtcOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue))).ToUniversalTime();
        var rows = new List<string>();
        for (var (t, i) = (start, 0); t < nextStart; t = t.AddMinutes(15), i++)
        {
            var endUtc = t.AddMinutes(15);
            var localEnd = TimeZoneInfo.ConvertTime(endUtc, Warsaw);
            var localStart = TimeZoneInfo.ConvertTime(t, Warsaw);
            var endText = localEnd.Date > date.ToDateTime(TimeOnly.MinValue) ? $"{date:yyyy-MM-dd} 24:00:00" : localEnd.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var period = $"{localStart:HH:mm} - {(endText.EndsWith("24:00:00", StringComparison.Ordinal) ? "24:00" : localEnd.ToString("HH:mm", CultureInfo.InvariantCulture))}";
            var utc = withUtc ? $"\"dtime_utc\":\"{endUtc:yyyy-MM-dd HH:mm:ss}\"," : "";
            rows.Add($"{{\"dtime\":\"{endText}\",\"period\":\"{period}\",{utc}\"{field}\":{price(i).ToString(CultureInfo.InvariantCulture)},\"business_date\":\"{date:yyyy-MM-dd}\"}}");
        }
        return new StringBuilder("{\"value\":[").AppendJoin(",", rows).Append("]}").ToString();
    }
}
