using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Config;

/// <summary>The <c>[Common]</c> section.</summary>
public sealed class CommonOptions
{
    /// <summary>A name for this site in logs and the dashboard.</summary>
    public string SiteName { get; init; } = "EnergyHub";

    /// <summary>Where the journal, caches and counters live; relative to the config file's folder.</summary>
    [MinLength(1)]
    public string DataDir { get; init; } = "data";

    /// <summary>Extra folders searched for plugins, besides the <c>plugins</c> folder beside the executable.</summary>
    public IReadOnlyList<string> PluginDirs { get; init; } = [];

    /// <summary>How fast the clock runs: 1 = real time; 60 = a simulated minute per second. Only for simulated sites.</summary>
    [Range(0.001, 10_000.0)]
    public double Speed { get; init; } = 1;

    /// <summary>The time the clock starts at; empty = now. Only for simulated sites.</summary>
    public DateTimeOffset? ClockStart { get; init; }
}

/// <summary>The <c>[Logging]</c> section.</summary>
public sealed class LoggingOptions
{
    /// <summary>Lowest level written: Trace, Debug, Information, Warning, Error, Critical.</summary>
    public LogLevel Level { get; init; } = LogLevel.Information;

    /// <summary>Folder of the rotating log file <c>energyhub.log</c>; relative to the config file's folder. Empty = no file.</summary>
    public string Dir { get; init; } = "logs";

    /// <summary>Size at which the log file rolls over to a new one.</summary>
    [Range(10_000L, 10_000_000_000L)]
    public long MaxFileBytes { get; init; } = 10_000_000;

    /// <summary>How many log files are kept, the current one included.</summary>
    [Range(1, 1000)]
    public int RetainedFiles { get; init; } = 7;
}
