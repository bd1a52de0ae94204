using System.Collections;
using Microsoft.Extensions.Configuration;

namespace EnergyHub.Core.Config;

/// <summary>
/// A config.ini read with <c>Microsoft.Extensions.Configuration.Ini</c>, overlaid by environment variables
/// <c>ENERGYHUB_&lt;Section&gt;__&lt;Key&gt;</c> (e.g. <c>ENERGYHUB_Device__battery__AppSecret</c>), and able to say
/// where each value came from.
/// </summary>
public sealed class ConfigDocument
{
    public const string EnvironmentPrefix = "ENERGYHUB_";

    private readonly IniLineIndex _lines;
    private readonly IReadOnlyDictionary<string, EnvironmentOverride> _environmentKeys;

    private ConfigDocument(string path, IConfigurationRoot root, IniLineIndex lines, IReadOnlyDictionary<string, EnvironmentOverride> environmentKeys,
        IDictionary environment)
    {
        Path = path;
        Root = root;
        _lines = lines;
        _environmentKeys = environmentKeys;
        StateDirectory = NonEmpty(environment["STATE_DIRECTORY"]);
        LogsDirectory = NonEmpty(environment["LOGS_DIRECTORY"]);
    }

    /// <summary>systemd's <c>$STATE_DIRECTORY</c> (set by <c>StateDirectory=</c>): the default DataDir when given.</summary>
    public string? StateDirectory { get; }

    /// <summary>systemd's <c>$LOGS_DIRECTORY</c> (set by <c>LogsDirectory=</c>): the default log folder when given.</summary>
    public string? LogsDirectory { get; }

    /// <summary>True when <paramref name="section"/>/<paramref name="key"/> is set in the file or the environment.</summary>
    public bool IsSet(string section, string key) => Root[$"{section}:{key}"] is not null;

    // systemd may pass several colon-separated folders; the first is ours.
    private static string? NonEmpty(object? value) => value is string { Length: > 0 } text ? text.Split(':')[0] : null;

    /// <summary>The file as given on the command line.</summary>
    public string Path { get; }

    /// <summary>The directory relative paths in the file are resolved against.</summary>
    public string BaseDirectory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;

    /// <summary>File values overlaid by environment values.</summary>
    public IConfigurationRoot Root { get; }

    /// <summary>Reads <paramref name="path"/>; throws <see cref="ConfigException"/> when the file is missing or not valid INI.</summary>
    /// <param name="path">The config file.</param>
    /// <param name="environment">Environment variables; the process's own when null.</param>
    public static ConfigDocument Load(string path, IDictionary? environment = null)
    {
        if (Directory.Exists(path))
        {
            throw NotAConfig(path, "is a folder, not a config file");
        }
        if (!File.Exists(path))
        {
            throw NotAConfig(path, "file not found");
        }
        var bytes = File.ReadAllBytes(path);
        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            throw NotAConfig(path, "is a binary file, not an INI text file");
        }
        string text;
        try
        {
            text = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw NotAConfig(path, "is not UTF-8 text");
        }
        var lines = IniLineIndex.Build(path, text.TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n'));
        if (lines.Errors.Count > 0)
        {
            throw new ConfigException(lines.Errors);
        }

        environment ??= Environment.GetEnvironmentVariables();
        var environmentKeys = EnvironmentOverrides(environment);
        var root = new ConfigurationBuilder()
            .AddIniStream(new MemoryStream(bytes)) // the bytes already read and checked, not the file a second time
            .AddInMemoryCollection(environmentKeys.ToDictionary(kv => kv.Key, kv => (string?)kv.Value.Value))
            .Build();
        return new ConfigDocument(path, root, lines, environmentKeys, environment);
    }

    /// <summary>The environment variable that overrides <paramref name="section"/>/<paramref name="key"/>, e.g. ENERGYHUB_Device__battery__AppSecret.</summary>
    public static string EnvironmentVariable(string section, string key) =>
        $"{EnvironmentPrefix}{section.Replace(":", "__", StringComparison.Ordinal)}__{key}";

    private static ConfigException NotAConfig(string path, string problem) =>
        new([new ConfigError(path, null, "", null, problem,
            "a path to a config.ini; start from config/energyhub.ini, which documents every key")]);

    /// <summary>Every section header of the file, in order, including empty ones.</summary>
    public IReadOnlyList<string> DeclaredSections => _lines.Sections;

    /// <summary>Where the value of <paramref name="key"/> in <paramref name="section"/> came from: file and line, or variable.</summary>
    public (string Origin, int? Line) Locate(string section, string? key)
    {
        if (key is not null && _environmentKeys.TryGetValue($"{section}:{key}", out var variable))
        {
            return ($"environment variable {variable.Variable}", null);
        }
        return (Path, _lines.LineOf(section, key) ?? _lines.LineOf(section, null));
    }

    /// <summary>A <see cref="ConfigError"/> located at <paramref name="section"/>/<paramref name="key"/>.</summary>
    public ConfigError Error(string section, string? key, string problem, string allowed)
    {
        var (origin, line) = Locate(section, key);
        return new ConfigError(origin, line, section, key, problem, allowed);
    }

    private sealed record EnvironmentOverride(string Variable, string Value);

    // Maps ENERGYHUB_Device__battery__AppSecret to the key Device:battery:AppSecret.
    // Variables without "__" (ENERGYHUB_CONFIG) are not overrides.
    private static Dictionary<string, EnvironmentOverride> EnvironmentOverrides(IDictionary environment)
    {
        var result = new Dictionary<string, EnvironmentOverride>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)
                && name.Contains("__", StringComparison.Ordinal))
            {
                var key = name[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal);
                result[key] = new EnvironmentOverride(name, entry.Value as string ?? "");
            }
        }
        return result;
    }
}
