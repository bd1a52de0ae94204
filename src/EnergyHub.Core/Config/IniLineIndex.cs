namespace EnergyHub.Core.Config;

/// <summary>
/// Where each section and key of an INI file stands, so a problem can name its line. Follows the syntax of
/// <c>Microsoft.Extensions.Configuration.Ini</c> and reports the lines that provider would reject.
/// </summary>
public sealed class IniLineIndex
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.OrdinalIgnoreCase);

    private IniLineIndex()
    {
    }

    private readonly List<string> _sections = [];

    /// <summary>Every section header in file order, including sections without keys (which configuration drops).</summary>
    public IReadOnlyList<string> Sections => _sections;

    /// <summary>Syntax problems: lines the INI reader cannot take, duplicate keys.</summary>
    public List<ConfigError> Errors { get; } = [];

    /// <summary>Indexes <paramref name="lines"/> of the file named <paramref name="origin"/>.</summary>
    public static IniLineIndex Build(string origin, IReadOnlyList<string> lines)
    {
        var index = new IniLineIndex();
        var section = "";
        for (var i = 0; i < lines.Count; i++)
        {
            var number = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] is ';' or '#' or '/')
            {
                continue;
            }
            if (line[0] == '[')
            {
                if (line[^1] != ']' || line.Length < 3)
                {
                    index.Errors.Add(new ConfigError(origin, number, section, null,
                        $"'{line}' is not a section header", "[Name] or [Device:<id>] on a line of its own"));
                    continue;
                }
                section = line[1..^1].Trim();
                if (index._lines.TryAdd(section, number))
                {
                    index._sections.Add(section);
                }
                continue;
            }
            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                index.Errors.Add(new ConfigError(origin, number, section, null,
                    $"'{line}' is neither a section header, a key = value line nor a comment",
                    "Key = Value, [Section], or a comment starting with ; or #"));
                continue;
            }
            var key = line[..equals].Trim();
            if (section.Length == 0)
            {
                index.Errors.Add(new ConfigError(origin, number, "", key,
                    "key outside any section", "keys only below a [Section] header"));
                continue;
            }
            if (!index._lines.TryAdd($"{section}:{key}", number))
            {
                index.Errors.Add(new ConfigError(origin, number, section, key,
                    $"duplicate key, first set on line {index._lines[$"{section}:{key}"]}", "each key once per section"));
            }
        }
        return index;
    }

    /// <summary>The line of <paramref name="key"/> in <paramref name="section"/>, or of the section header when key is null.</summary>
    public int? LineOf(string section, string? key) =>
        _lines.TryGetValue(key is null ? section : $"{section}:{key}", out var line) ? line : null;
}
