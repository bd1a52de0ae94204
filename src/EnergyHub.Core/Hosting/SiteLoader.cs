using System.Collections;
using System.Reflection;
using EnergyHub.Core.Config;
using EnergyHub.Core.Plugins;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Hosting;

/// <summary>
/// Reads a config file, loads the plugins it needs (the built-in ones, the <c>plugins</c> folder beside the
/// executable, and <c>[Common] PluginDirs</c>), and validates the file against them.
/// </summary>
public sealed class SiteLoader(ILoggerFactory loggers)
{
    /// <summary>Assemblies whose <c>IPlugin</c>s are always registered (the built-in services).</summary>
    public List<Assembly> BuiltIn { get; } = [];

    /// <summary>False to check the site's folders without creating anything (check-config).</summary>
    public bool CreatesFolders { get; set; } = true;

    /// <summary>Plugin folders searched besides those named in the config file.</summary>
    public List<string> PluginDirectories { get; } = [Path.Combine(AppContext.BaseDirectory, "plugins")];

    /// <summary>Loads the plugins from <see cref="BuiltIn"/>, <see cref="PluginDirectories"/> and <paramref name="extraDirs"/>.</summary>
    public PluginCatalog LoadPlugins(IEnumerable<string>? extraDirs = null)
    {
        var catalog = new PluginCatalog();
        var loader = new PluginLoader(loggers.CreateLogger<PluginLoader>());
        foreach (var assembly in BuiltIn)
        {
            loader.Register(assembly, "built-in", catalog);
        }
        loader.LoadDirectories(PluginDirectories, catalog);
        loader.LoadDirectories((extraDirs ?? []).Where(d => !PluginDirectories.Contains(Path.GetFullPath(d))), catalog, named: true);
        return catalog;
    }

    /// <summary>Reads and validates <paramref name="path"/> and checks its folders can be written; throws <see cref="ConfigException"/> listing every problem.</summary>
    public (SiteConfig Config, PluginCatalog Catalog) Load(string path, IDictionary? environment = null)
    {
        var document = ConfigDocument.Load(path, environment);
        var pluginDirs = PluginDirsOf(document);
        var catalog = LoadPlugins(pluginDirs);
        var config = SiteConfigValidator.Validate(document, catalog);
        if (SiteFolders.Check(config, CreatesFolders) is { Count: > 0 } folderErrors)
        {
            throw new ConfigException(folderErrors);
        }
        return (config, catalog);
    }

    // [Common] PluginDirs is needed before validation, since validation needs the drivers.
    public static IEnumerable<string> PluginDirsOf(ConfigDocument document) =>
        (document.Root["Common:PluginDirs"] ?? "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.GetFullPath(d, document.BaseDirectory));
}
