using EnergyHub.Core.Config;
using EnergyHub.Core.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Cli;

/// <summary>
/// Hot reload for <c>run</c>: waits for a plugin folder to be dropped in, replaced or removed, and loads the plugins
/// and the config afresh beside the running site. Only a load that is whole (no plugin that changed fails, the config
/// still validates) and that the site needs (its settings changed, or a device or service it runs comes from a changed
/// plugin) is handed back, for the site to restart on; otherwise the running site stays as it is, its hardware
/// untouched, and one line says why.
/// </summary>
public static class PluginReload
{
    /// <summary>What the change in <paramref name="folders"/> did, e.g. "HelloPlugin 1.2.0 → 1.3.0, Acme 0.1.0 (new), Old 1.0 (removed)".</summary>
    public static string Describe(PluginCatalog before, PluginCatalog after, IReadOnlyList<string> folders)
    {
        bool Touched(PluginInfo p) => folders.Contains(p.Location, StringComparer.Ordinal);
        var old = before.Plugins.Where(Touched).ToDictionary(p => p.Name, p => p.Version, StringComparer.Ordinal);
        var now = after.Plugins.Where(Touched).ToDictionary(p => p.Name, p => p.Version, StringComparer.Ordinal);
        return string.Join(", ", now.Select(p => !old.TryGetValue(p.Key, out var was) ? $"{p.Key} {p.Value} (new)"
                : was != p.Value ? $"{p.Key} {was} → {p.Value}" : $"{p.Key} {p.Value} (replaced)")
            .Concat(old.Keys.Except(now.Keys).Select(name => $"{name} {old[name]} (removed)")));
    }

    /// <summary>
    /// Whether the site running <paramref name="running"/> on <paramref name="runningCatalog"/> must restart for <paramref name="next"/>
    /// on <paramref name="nextCatalog"/>: the settings differ, or a device or service of either comes from a plugin in one of the
    /// <paramref name="changed"/> folders (replaced, new or removed).
    /// </summary>
    public static bool NeedsRestart(SiteConfig running, PluginCatalog runningCatalog, SiteConfig next, PluginCatalog nextCatalog, IReadOnlyList<string> changed)
    {
        static IEnumerable<KeyValuePair<string, string?>> Settings(SiteConfig site) => site.Document.Root.AsEnumerable().OrderBy(p => p.Key, StringComparer.Ordinal);
        if (!Settings(running).SequenceEqual(Settings(next)))
        {
            return true;
        }
        var touched = runningCatalog.Plugins.Concat(nextCatalog.Plugins).Where(p => changed.Contains(p.Location, StringComparer.Ordinal))
            .Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        static IEnumerable<string> Used(SiteConfig site) => site.Devices.Select(d => d.Driver.Plugin).Concat(site.Services.Select(s => s.Registration.Plugin));
        return Used(running).Concat(Used(next)).Any(touched.Contains);
    }

    /// <summary>The new config and plugins to restart on, or null once <paramref name="stopping"/> fires.</summary>
    public static async Task<(SiteConfig Config, PluginCatalog Catalog)?> WaitAsync(PluginFolderWatcher? watcher, string configPath,
        SiteConfig running, PluginCatalog current, IReadOnlyList<string> pluginDirs, ILoggerFactory loggers, ILogger logger, CancellationToken stopping)
    {
        if (watcher is null)
        {
            await Task.Delay(Timeout.Infinite, stopping).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            return null;
        }
        while (true)
        {
            IReadOnlyList<string> changed;
            try
            {
                changed = await watcher.WaitForChangeAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            logger.LogInformation("Plugin folders changed: {Folders}; loading the plugins again beside the running site", string.Join(", ", changed));
            (SiteConfig Config, PluginCatalog Catalog) candidate;
            try
            {
                candidate = Bootstrap.Loader(loggers, pluginDirs).Load(configPath);
            }
            catch (ConfigException ex)
            {
                logger.LogError("The plugin change is not applied, the site keeps running as it is: {Problems} (fix or restore the plugin folder)",
                    string.Join("; ", ex.Errors.Select(e => e.ToString().TrimEnd('.'))));
                continue;
            }
            var broken = candidate.Catalog.Failures.Where(f => changed.Any(folder => f.Location.StartsWith(folder, StringComparison.Ordinal))).ToList();
            if (broken.Count > 0)
            {
                candidate.Catalog.Dispose();
                logger.LogError("The plugin change is not applied, the site keeps running the plugins it has: {Problems}",
                    string.Join("; ", broken.Select(f => $"{f.Location}: {f.Reason}")));
                continue;
            }
            if (stopping.IsCancellationRequested)
            {
                candidate.Catalog.Dispose();
                return null;
            }
            if (!NeedsRestart(running, current, candidate.Config, candidate.Catalog, changed))
            {
                logger.LogInformation("Plugins changed: {Changes}; no device or service of the site comes from them, so it keeps running untouched "
                    + "(a config that names them takes them on its next start)", Describe(current, candidate.Catalog, changed));
                candidate.Catalog.Dispose();
                continue;
            }
            logger.LogInformation("Restarting the site on the new plugins: {Changes}", Describe(current, candidate.Catalog, changed));
            return candidate;
        }
    }
}
