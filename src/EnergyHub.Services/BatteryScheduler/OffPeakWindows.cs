using System.Globalization;

namespace EnergyHub.Services.BatteryScheduler;

/// <summary>
/// A tariff's off-peak (T2) windows in local time, e.g. <c>13:00-15:00, 22:00-06:00</c> (a window may run past
/// midnight): where the coordinator's rules learn how long the cheap window has left.
/// </summary>
public sealed class OffPeakWindows
{
    private readonly IReadOnlyList<(TimeOnly From, TimeOnly To)> _windows;

    private OffPeakWindows(IReadOnlyList<(TimeOnly, TimeOnly)> windows) => _windows = windows;

    /// <summary>No off-peak tariff.</summary>
    public static OffPeakWindows None { get; } = new([]);

    /// <summary>The windows, in the order given.</summary>
    public IReadOnlyList<(TimeOnly From, TimeOnly To)> Windows => _windows;

    /// <summary>Parses "HH:mm-HH:mm" windows separated by commas; empty text is <see cref="None"/>.</summary>
    public static bool TryParse(string text, out OffPeakWindows windows, out string? problem)
    {
        (windows, problem) = (None, null);
        var parsed = new List<(TimeOnly, TimeOnly)>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length != 2 || !TimeOnly.TryParseExact(ends[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
                || !TimeOnly.TryParseExact(ends[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to) || from == to)
            {
                problem = $"'{part}' is not a window HH:mm-HH:mm with two different times, e.g. 22:00-06:00";
                return false;
            }
            parsed.Add((from, to));
        }
        windows = parsed.Count == 0 ? None : new OffPeakWindows(parsed);
        return true;
    }

    /// <summary>The hours left of the window <paramref name="localTime"/> is in; null outside every window.</summary>
    public double? HoursLeft(TimeOnly localTime)
    {
        foreach (var (from, to) in _windows)
        {
            var inside = from < to ? localTime >= from && localTime < to : localTime >= from || localTime < to;
            if (inside)
            {
                return (to - localTime).TotalHours; // TimeOnly subtraction wraps past midnight
            }
        }
        return null;
    }
}
