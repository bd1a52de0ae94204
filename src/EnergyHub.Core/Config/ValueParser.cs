using System.Globalization;

namespace EnergyHub.Core.Config;

/// <summary>Converts config.ini text into the type of an options property, or says what text would be accepted.</summary>
public static class ValueParser
{
    /// <summary>Whether <paramref name="type"/> can be bound from config text.</summary>
    public static bool Supports(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t == typeof(bool) || t == typeof(int) || t == typeof(long) || t == typeof(byte)
            || t == typeof(ushort) || t == typeof(double) || t == typeof(decimal) || t == typeof(TimeSpan)
            || t == typeof(Uri) || t == typeof(DateTimeOffset) || t.IsEnum || IsStringList(t);
    }

    /// <summary>Parses <paramref name="text"/> as <paramref name="type"/>; on failure returns false and the allowed form.</summary>
    public static bool TryParse(string text, Type type, out object? value, out string allowed)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        allowed = Describe(t);
        value = null;
        var trimmed = text.Trim();
        if (trimmed.Length == 0 && (Nullable.GetUnderlyingType(type) is not null || !t.IsValueType))
        {
            value = t == typeof(string) ? "" : IsStringList(t) ? Array.Empty<string>() : null;
            return true;
        }

        var inv = CultureInfo.InvariantCulture;
        switch (t)
        {
            case var _ when t == typeof(string):
                value = trimmed;
                return true;
            case var _ when t == typeof(bool):
                value = trimmed.ToLowerInvariant() switch
                {
                    "true" or "yes" or "on" or "1" => true,
                    "false" or "no" or "off" or "0" => false,
                    _ => null,
                };
                return value is not null;
            case var _ when t == typeof(int):
                return Set(int.TryParse(trimmed, NumberStyles.Integer, inv, out var i), i, out value);
            case var _ when t == typeof(long):
                return Set(long.TryParse(trimmed, NumberStyles.Integer, inv, out var l), l, out value);
            case var _ when t == typeof(byte):
                return Set(byte.TryParse(trimmed, NumberStyles.Integer, inv, out var b), b, out value);
            case var _ when t == typeof(ushort):
                return Set(ushort.TryParse(trimmed, NumberStyles.Integer, inv, out var u), u, out value);
            case var _ when t == typeof(double):
                return Set(double.TryParse(trimmed, NumberStyles.Float, inv, out var d) && double.IsFinite(d), d, out value);
            case var _ when t == typeof(decimal):
                return Set(decimal.TryParse(trimmed, NumberStyles.Float, inv, out var m), m, out value);
            case var _ when t == typeof(TimeSpan):
                return Set(Durations.TryParse(trimmed, out var span), span, out value);
            case var _ when t == typeof(Uri):
                return Set(Uri.TryCreate(trimmed, UriKind.Absolute, out var uri), uri, out value);
            case var _ when t == typeof(DateTimeOffset):
                return Set(DateTimeOffset.TryParse(trimmed, inv, DateTimeStyles.AssumeUniversal, out var instant), instant, out value);
            case { IsEnum: true }:
                // Case and underscores do not matter: PV_ONLY is PvOnly (the spelling pv-control and es-ESS users know).
                var name = Enum.GetNames(t).FirstOrDefault(n => string.Equals(n, trimmed.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
                return Set(name is not null, name is null ? null : Enum.Parse(t, name), out value);
            case var _ when IsStringList(t):
                value = trimmed.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                return true;
            default:
                throw new NotSupportedException($"Options property type {t} cannot be bound from config.ini.");
        }
    }

    /// <summary>What a value of <paramref name="type"/> is, in a few words: "a number", "a duration".</summary>
    public static string Noun(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t switch
        {
            _ when t == typeof(bool) => "true or false",
            _ when t == typeof(int) || t == typeof(long) || t == typeof(byte) || t == typeof(ushort) => "a whole number",
            _ when t == typeof(double) || t == typeof(decimal) => "a number",
            _ when t == typeof(TimeSpan) => "a duration",
            _ when t == typeof(Uri) => "an absolute URL",
            _ when t == typeof(DateTimeOffset) => "a time",
            { IsEnum: true } => "one of the allowed names",
            _ => "valid here",
        };
    }

    /// <summary>What text <paramref name="type"/> accepts, in words.</summary>
    public static string Describe(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t switch
        {
            _ when t == typeof(string) => "any text",
            _ when t == typeof(bool) => "true or false",
            _ when t == typeof(int) || t == typeof(long) => "a whole number",
            _ when t == typeof(byte) => "a whole number 0..255",
            _ when t == typeof(ushort) => "a whole number 0..65535",
            _ when t == typeof(double) || t == typeof(decimal) => "a number with . as the decimal point and no unit, e.g. 4500 or -0.25",
            _ when t == typeof(TimeSpan) => Durations.Allowed,
            _ when t == typeof(Uri) => "an absolute URL such as http://127.0.0.1:8080/",
            _ when t == typeof(DateTimeOffset) => "an ISO 8601 time such as 2025-11-12T09:00:00+10:00 (UTC when no offset is given)",
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(t)),
            _ when IsStringList(t) => "a comma-separated list",
            _ => t.Name,
        };
    }

    private static bool IsStringList(Type t) =>
        t == typeof(string[]) || t == typeof(IReadOnlyList<string>) || t == typeof(IReadOnlyCollection<string>)
        || t == typeof(IEnumerable<string>);

    private static bool Set(bool ok, object? parsed, out object? value)
    {
        value = ok ? parsed : null;
        return ok;
    }
}
