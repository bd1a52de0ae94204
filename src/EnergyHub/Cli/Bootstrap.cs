using EnergyHub.Core.Config;
using EnergyHub.Core.Hosting;
using EnergyHub.Core.Logging;
using EnergyHub.Core.Plugins;
using EnergyHub.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Cli;

/// <summary>What every verb does first: a console logger, the plugin catalog, the validated config.</summary>
public static class Bootstrap
{
    /// <summary>
    /// A console-only logger for the time before the config (and its [Logging] section) is read. Logs go to standard error
    /// unless <paramref name="toStandardError"/> is false (the daemon, <c>run</c>), so a verb's standard output is only its
    /// result: a table, or a JSON document with <c>--json</c>.
    /// </summary>
    public static ILoggerFactory ConsoleLoggers(LogLevel level = LogLevel.Information, bool toStandardError = true) =>
        LoggingSetup.Create(new LoggingOptions { Level = level }, logDir: null, toStandardError);

    /// <summary>A loader that knows the built-in services, the plugins folder beside the executable, and <paramref name="pluginDirs"/>.</summary>
    public static SiteLoader Loader(ILoggerFactory loggers, IEnumerable<string> pluginDirs)
    {
        var loader = new SiteLoader(loggers);
        loader.BuiltIn.Add(typeof(BuiltInServices).Assembly);
        loader.PluginDirectories.AddRange(pluginDirs.Select(Path.GetFullPath));
        return loader;
    }

    /// <summary>Loads and validates <paramref name="path"/>; on problems prints one line each to stderr and returns null.</summary>
    public static (SiteConfig Config, PluginCatalog Catalog)? TryLoad(SiteLoader loader, string path)
    {
        try
        {
            return loader.Load(path);
        }
        catch (ConfigException ex)
        {
            PrintErrors(ex);
            return null;
        }
    }

    /// <summary>Builds the site's host (which builds its devices); on a driver rejecting its options prints why and returns null.</summary>
    public static IHost? TryBuildHost(SiteConfig config, ILoggerFactory loggers, TimeProvider? time = null, Action<IServiceCollection>? configure = null,
        Action<IServiceCollection>? configureLast = null)
    {
        try
        {
            return SiteHost.Build(config, loggers, time ?? TimeProvider.System, configure, configureLast);
        }
        catch (ConfigException ex)
        {
            PrintErrors(ex);
            return null;
        }
    }

    /// <summary>
    /// Locates and loads the config, builds its devices and runs <paramref name="action"/> on them; config problems are
    /// printed and give <see cref="ExitCodes.ConfigInvalid"/>.
    /// </summary>
    public static Task<int> WithDevicesAsync(string? configOption, IEnumerable<string> pluginDirs,
        Func<LocatedConfig, Core.Devices.DeviceRegistry, Task<int>> action) =>
        WithSiteAsync(configOption, pluginDirs, (located, _, devices) => action(located, devices));

    /// <summary>As <see cref="WithDevicesAsync"/>, handing the action the loaded config too (its services' options).</summary>
    public static async Task<int> WithSiteAsync(string? configOption, IEnumerable<string> pluginDirs,
        Func<LocatedConfig, SiteConfig, Core.Devices.DeviceRegistry, Task<int>> action)
    {
        using var loggers = ConsoleLoggers(LogLevel.Warning);
        var located = ConfigLocator.Locate(configOption);
        if (TryLoad(Loader(loggers, pluginDirs), located.Path) is not { } site)
        {
            return ExitCodes.ConfigInvalid;
        }
        // Reading devices once needs no journal (and must not create one).
        using var host = TryBuildHost(site.Config with { Journal = new JournalOptions { Enabled = false } }, loggers);
        if (host is null)
        {
            return ExitCodes.ConfigInvalid;
        }
        // Emulators switched on in the config answer while the devices are read, as under `run`.
        var standIns = host.Services.GetRequiredService<Core.Scheduling.HardwareStandIns>();
        await standIns.StartAsync(CancellationToken.None);
        try
        {
            return await action(located, site.Config, host.Services.GetRequiredService<Core.Devices.DeviceRegistry>());
        }
        finally
        {
            await standIns.StopStandInsAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on one device built by the real driver from <paramref name="deviceKeys"/> (the lines
    /// of its <c>[Device:id]</c> section), without a config file of the user's: what the device verbs (goodwe, goe) use.
    /// </summary>
    public static async Task<int> WithOneDeviceAsync(string id, string deviceKeys, IEnumerable<string> pluginDirs, Func<EnergyHub.Devices.IDevice, Task<int>> action)
    {
        var config = Path.Combine(Directory.CreateTempSubdirectory($"energyhub-{id}-").FullName, $"{id}.ini");
        await File.WriteAllTextAsync(config, $"[Common]\nDataDir = data\n[Logging]\nDir =\n[Device:{id}]\n{deviceKeys}\n");
        return await WithDevicesAsync(config, pluginDirs, async (_, devices) =>
        {
            devices.TryGet(id, out var session);
            return await session.RunAsync((device, _) => action(device), CancellationToken.None);
        });
    }

    public static void PrintErrors(ConfigException ex)
    {
        foreach (var error in ex.Errors)
        {
            Console.Error.WriteLine(error);
        }
        Console.Error.WriteLine($"{ex.Errors.Count} problem(s); nothing was started. Fix the lines above, then run `energyhub check-config <file>` again.");
    }
}
