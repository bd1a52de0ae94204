using System.Globalization;
using System.Text.Json;

namespace EnergyHub.Plugins.Simulator.Emulators;

/// <summary>
/// PSE's <c>/api/csdac-pln</c> and <c>/api/rce-pln</c> for <c>$filter=business_date eq 'YYYY-MM-DD'</c>, in PSE's JSON
/// shape: quarter-hour rows (92 or 100 on DST days) with local and UTC times, prices in PLN/MWh taken from an hourly
/// day-ahead CSV (<c>datetime_utc, price per MWh</c>) for the same month and day, times <paramref name="currencyFactor"/>.
/// Tomorrow's rows appear only after 14:00 Polish time, as at PSE.
/// </summary>
public sealed class PseEmulator(string dataFile, double currencyFactor, TimeProvider time) : HttpEmulator
{
    private static readonly TimeZoneInfo Warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
    private readonly Dictionary<(int Month, int Day, int Hour), double> _hourly = Load(dataFile);

    /// <inheritdoc />
    protected override EmulatorResponse Answer(string pathAndQuery, Func<string, string?> header)
    {
        var path = pathAndQuery.Split('?')[0].TrimEnd('/');
        var field = path switch
        {
            "/api/csdac-pln" => "csdac_pln",
            "/api/rce-pln" => "rce_pln",
            _ => null,
        };
        var filter = System.Text.RegularExpressions.Regex.Match(pathAndQuery, @"business_date eq '(\d{4}-\d{2}-\d{2})'");
        if (field is null)
        {
            return new EmulatorResponse(404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"unknown report\"}}");
        }
        if (!filter.Success)
        {
            return new EmulatorResponse(400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"this emulator needs $filter=business_date eq 'YYYY-MM-DD'\"}}");
        }
        var date = DateOnly.ParseExact(filter.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var localNow = TimeZoneInfo.ConvertTime(time.GetUtcNow(), Warsaw);
        var today = DateOnly.FromDateTime(localNow.DateTime);
        var published = date <= today || (date == today.AddDays(1) && localNow.Hour >= 14);
        return new EmulatorResponse(200, JsonSerializer.Serialize(new { value = published ? Rows(date, field) : [] }));
    }

    private List<Dictionary<string, object>> Rows(DateOnly date, string field)
    {
        var start = Utc(date);
        var rows = new List<Dictionary<string, object>>();
        for (var t = start; t < Utc(date.AddDays(1)); t = t.AddMinutes(15))
        {
            var localStart = TimeZoneInfo.ConvertTime(t, Warsaw);
            var localEnd = TimeZoneInfo.ConvertTime(t.AddMinutes(15), Warsaw);
            var price = _hourly.TryGetValue((t.Month, t.Day, t.Hour), out var p) ? p : _hourly.Values.Average();
            rows.Add(new Dictionary<string, object>
            {
                ["dtime"] = localEnd.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                ["period"] = $"{localStart:HH:mm} - {localEnd:HH:mm}",
                ["dtime_utc"] = t.AddMinutes(15).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                ["period_utc"] = $"{t:HH:mm} - {t.AddMinutes(15):HH:mm}",
                [field] = Math.Round(price * currencyFactor, 2),
                ["business_date"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            });
        }
        return rows;
    }

    private static DateTimeOffset Utc(DateOnly date)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, Warsaw.GetUtcOffset(midnight)).ToUniversalTime();
    }

    private static Dictionary<(int, int, int), double> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the PSE emulator's price file {Path.GetFullPath(path)} does not exist; point DataFile at an hourly CSV with columns datetime_utc and a price per MWh");
        }
        var prices = new Dictionary<(int, int, int), double>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var fields = line.Split(',');
            var at = DateTimeOffset.Parse(fields[0], CultureInfo.InvariantCulture).ToUniversalTime();
            prices[(at.Month, at.Day, at.Hour)] = double.Parse(fields[^1], CultureInfo.InvariantCulture);
        }
        return prices;
    }
}
