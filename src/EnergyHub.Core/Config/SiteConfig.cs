using EnergyHub.Core.Plugins;
using EnergyHub.Options;

namespace EnergyHub.Core.Config;

/// <summary>A validated configuration: every device and switched-on service with bound options.</summary>
/// <param name="Document">The file it came from.</param>
/// <param name="Common">The <c>[Common]</c> section.</param>
/// <param name="Logging">The <c>[Logging]</c> section.</param>
/// <param name="Devices">Every <c>[Device:&lt;id&gt;]</c>, in file order.</param>
/// <param name="Services">Every service switched on in <c>[Services]</c>, in file order.</param>
public sealed record SiteConfig(
    ConfigDocument Document,
    CommonOptions Common,
    LoggingOptions Logging,
    IReadOnlyList<DeviceConfig> Devices,
    IReadOnlyList<ServiceConfig> Services)
{
    /// <summary>The <c>[Journal]</c> section.</summary>
    public JournalOptions Journal { get; init; } = new();

    /// <summary>The <c>[Web]</c> section.</summary>
    public WebOptions Web { get; init; } = new();

    /// <summary>The <c>[Mqtt]</c> section.</summary>
    public MqttOptions Mqtt { get; init; } = new();

    /// <summary>What the config should change though it was accepted (a renamed key), one line each.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>The journal's database file as an absolute path.</summary>
    public string JournalPath => Path.GetFullPath(Journal.File, DataDir);

    /// <summary>
    /// <see cref="CommonOptions.DataDir"/> as an absolute path (relative to the config file's folder). When the key is not
    /// set and systemd gave a <c>StateDirectory=</c>, that folder.
    /// </summary>
    public string DataDir => ScratchDataDir ?? (!Document.IsSet("Common", nameof(CommonOptions.DataDir)) && Document.StateDirectory is { } state
        ? Path.GetFullPath(state)
        : Path.GetFullPath(Common.DataDir, Document.BaseDirectory));

    /// <summary>A throwaway folder used instead of <see cref="DataDir"/> (by check-config, so a check changes nothing).</summary>
    public string? ScratchDataDir { get; init; }

    /// <summary>
    /// <see cref="LoggingOptions.Dir"/> as an absolute path (relative to <see cref="DataDir"/>, so run-time files stay out of
    /// the config folder), or null when file logging is off. When the key is not set and systemd gave a
    /// <c>LogsDirectory=</c>, that folder.
    /// </summary>
    public string? LogDir => !Document.IsSet("Logging", nameof(LoggingOptions.Dir)) && Document.LogsDirectory is { } logs
        ? Path.GetFullPath(logs)
        : Logging.Dir.Length == 0 ? null : Path.GetFullPath(Logging.Dir, DataDir);

    /// <summary><see cref="CommonOptions.PluginDirs"/> as absolute paths.</summary>
    public IEnumerable<string> PluginDirs => Common.PluginDirs.Select(d => Path.GetFullPath(d, Document.BaseDirectory));
}

/// <summary>One configured device.</summary>
public sealed record DeviceConfig(string Id, DriverRegistration Driver, DeviceOptions Options);

/// <summary>One switched-on service.</summary>
public sealed record ServiceConfig(string Name, ServiceRegistration Registration, ServiceOptions Options);
