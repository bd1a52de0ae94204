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

    private ConfigDocument(string path, IConfigurationRoot root, IniLineIndex lines, IReadOnlyDictionary<string, EnvironmentOverride> environmentKeys)
    {
        Path = path;
        Root = root;
        _lines = lines;
        _environmentKeys = environmentKeys;
    }

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
        if (!File.Exists(path))
        {
            throw new ConfigException([new ConfigError(path, null, "", null, "file not found",
                "a path to an existing config.ini; start from config/energyhub.ini, which documents every key")]);
        }
        var lines = IniLineIndex.Build(path, File.ReadAllLines(path));
        if (lines.Errors.Count > 0)
        {
            throw new ConfigException(lines.Errors);
        }

        var environmentKeys = EnvironmentOverrides(environment ?? Environment.GetEnvironmentVariables());
        var root = new ConfigurationBuilder()
            .AddIniFile(System.IO.Path.GetFullPath(path), optional: false, reloadOnChange: false)
            .AddInMemoryCollection(environmentKeys.ToDictionary(kv => kv.Key, kv => (string?)kv.Value.Value))
            .Build();
        return new ConfigDocument(path, root, lines, environmentKeys);
    }

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
