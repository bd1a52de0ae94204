using System.Collections;

namespace EnergyHub.Cli;

/// <summary>Which config file `energyhub run` uses, and why.</summary>
/// <param name="Path">The file to read.</param>
/// <param name="Origin">How it was chosen, for the first log line.</param>
/// <param name="IsEmbeddedDemo">True when no config was found and the built-in demo site runs.</param>
public sealed record LocatedConfig(string Path, string Origin, bool IsEmbeddedDemo);

/// <summary>Finds the config: <c>--config</c>, then <c>$ENERGYHUB_CONFIG</c>, then <c>./config.ini</c>, else the embedded demo.</summary>
public static class ConfigLocator
{
    public const string EnvironmentVariable = "ENERGYHUB_CONFIG";

    /// <summary>Locates the config for this process: its environment and working directory; the demo goes to the temp folder.</summary>
    public static LocatedConfig Locate(string? option) =>
        Locate(option, Environment.GetEnvironmentVariables(), Environment.CurrentDirectory, Path.Combine(Path.GetTempPath(), "energyhub-demo"));

    public static LocatedConfig Locate(string? option, IDictionary environment, string currentDirectory, string demoDirectory)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return new LocatedConfig(option, "--config", false);
        }
        if (environment[EnvironmentVariable] is string fromEnvironment && fromEnvironment.Length > 0)
        {
            return new LocatedConfig(fromEnvironment, $"${EnvironmentVariable}", false);
        }
        var local = Path.Combine(currentDirectory, "config.ini");
        if (File.Exists(local))
        {
            return new LocatedConfig(local, "./config.ini", false);
        }
        return new LocatedConfig(WriteEmbeddedDemo(demoDirectory), "the embedded demo site", true);
    }

    /// <summary>Writes the embedded demo.ini into <paramref name="directory"/> (its data and logs go beside it).</summary>
    public static string WriteEmbeddedDemo(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "demo.ini");
        using var resource = typeof(ConfigLocator).Assembly.GetManifestResourceStream("demo.ini")
            ?? throw new InvalidOperationException("The embedded demo.ini is missing from this build.");
        using var file = File.Create(path);
        resource.CopyTo(file);
        return path;
    }
}
