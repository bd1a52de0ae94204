using System.Globalization;
using System.Text.RegularExpressions;

namespace EnergyHub.Protocols.Consumers;

/// <summary>Pure readers of a no-code consumer's texts: whether its status says "on", and the power in a text.</summary>
public static class NoCodeConsumerText
{
    /// <summary>Whether <paramref name="status"/> contains a match of <paramref name="on"/>.</summary>
    public static bool IsOn(string status, Regex on) => on.IsMatch(status);

    /// <summary>The number in <paramref name="power"/>'s first group in <paramref name="text"/>, in W.</summary>
    /// <exception cref="FormatException">No match, or the group is not a number; the message shows the text.</exception>
    public static double Power(string text, Regex power)
    {
        var match = power.Match(text);
        if (!match.Success || match.Groups.Count < 2)
        {
            throw new FormatException($"PowerExtractRegex '{power}' finds no power (its first group) in '{Shorten(text)}'");
        }
        var group = match.Groups[1].Value.Trim();
        return double.TryParse(group, NumberStyles.Float, CultureInfo.InvariantCulture, out var watts) && double.IsFinite(watts)
            ? watts
            : throw new FormatException($"PowerExtractRegex '{power}' finds '{Shorten(group)}', which is not a number, in '{Shorten(text)}'");
    }

    /// <summary>Why <paramref name="pattern"/> is not a regular expression, or null when it is one.</summary>
    public static string? Problem(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }

    private static string Shorten(string text) => text.Length > 120 ? text[..120] + "…" : text;
}
