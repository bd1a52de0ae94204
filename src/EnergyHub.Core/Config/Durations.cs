using System.Globalization;

namespace EnergyHub.Core.Config;

/// <summary>Parses and prints durations the way config.ini writes them: <c>500ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>, <c>1d</c>.</summary>
public static class Durations
{
    public const string Allowed = "a duration such as 500ms, 5s, 2m, 1h or 1d (a plain number means seconds)";

    public static bool TryParse(string text, out TimeSpan value)
    {
        text = text.Trim();
        var (number, unit) = Split(text);
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            double? seconds = unit switch
            {
                "" or "s" => amount,
                "ms" => amount / 1000,
                "m" or "min" => amount * 60,
                "h" => amount * 3600,
                "d" => amount * 86400,
                _ => null,
            };
            // Beyond TimeSpan's range (about 29 000 years) is not a duration, and TimeSpan.FromSeconds would throw.
            TimeSpan? parsed = seconds is { } s && s < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(s) : null;
            if (parsed is { } ok)
            {
                value = ok;
                return true;
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }

    public static string Format(TimeSpan value) => value switch
    {
        { TotalMilliseconds: < 1000 } => $"{value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms",
        { TotalSeconds: < 60 } => $"{value.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s",
        { TotalMinutes: < 60 } => $"{value.TotalMinutes.ToString(CultureInfo.InvariantCulture)}m",
        { TotalHours: < 24 } => $"{value.TotalHours.ToString(CultureInfo.InvariantCulture)}h",
        _ => $"{value.TotalDays.ToString(CultureInfo.InvariantCulture)}d",
    };

    private static (string Number, string Unit) Split(string text)
    {
        var i = text.Length;
        while (i > 0 && char.IsLetter(text[i - 1]))
        {
            i--;
        }
        return (text[..i].Trim(), text[i..].ToLowerInvariant());
    }
}
