using System.Globalization;

namespace EnergyHub.Services.BatteryScheduler;

/// <summary>
/// Where a time zone is, from the tz database's own tables (<c>zone.tab</c>, <c>zone1970.tab</c>: each zone's principal
/// city, e.g. <c>-2728+15302</c> for Australia/Brisbane): a site that names its zone has a place for the sun's curve
/// without configuring one. Close enough for sunrise and sunset within half an hour in most zones, not for a weather model.
/// </summary>
public static class ZoneLocation
{
    private static readonly string[] Tables = ["/usr/share/zoneinfo/zone.tab", "/usr/share/zoneinfo/zone1970.tab"];
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (double, double)?> Found = new(StringComparer.Ordinal);

    /// <summary>The latitude and longitude (degrees, north and east +) of <paramref name="zoneId"/>'s city; null where the tables are missing or do not list it.</summary>
    public static (double LatitudeDeg, double LongitudeDeg)? Of(string zoneId) => Found.GetOrAdd(zoneId, Read);

    private static (double LatitudeDeg, double LongitudeDeg)? Read(string zoneId)
    {
        foreach (var table in Tables)
        {
            try
            {
                if (File.Exists(table) && Find(File.ReadLines(table), zoneId) is { } found)
                {
                    return found;
                }
            }
            catch (IOException)
            {
                // an unreadable table is a table we do not have
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return null;
    }

    /// <summary>The coordinates of <paramref name="zoneId"/> in the lines of a tz table; null when no line names it.</summary>
    public static (double LatitudeDeg, double LongitudeDeg)? Find(IEnumerable<string> lines, string zoneId)
    {
        foreach (var line in lines)
        {
            if (line.StartsWith('#'))
            {
                continue;
            }
            var fields = line.Split('\t');
            if (fields.Length >= 3 && fields[2] == zoneId && Coordinates(fields[1]) is { } at)
            {
                return at;
            }
        }
        return null;
    }

    // ±DDMM±DDDMM or ±DDMMSS±DDDMMSS (ISO 6709).
    private static (double, double)? Coordinates(string text)
    {
        var split = text.IndexOfAny(['+', '-'], 1);
        if (split < 0 || Degrees(text[..split], 2) is not { } latitude || Degrees(text[split..], 3) is not { } longitude)
        {
            return null;
        }
        return (latitude, longitude);
    }

    private static double? Degrees(string text, int degreeDigits)
    {
        var digits = text[1..];
        if (digits.Length != degreeDigits + 2 && digits.Length != degreeDigits + 4 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }
        double Part(int start, int length) => int.Parse(digits.AsSpan(start, length), CultureInfo.InvariantCulture);
        var value = Part(0, degreeDigits) + Part(degreeDigits, 2) / 60 + (digits.Length > degreeDigits + 2 ? Part(degreeDigits + 2, 2) / 3600 : 0);
        return text[0] == '-' ? -value : value;
    }
}
