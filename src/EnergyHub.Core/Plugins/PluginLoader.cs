using System.Reflection;
using EnergyHub.Plugins;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Plugins;

/// <summary>
/// Finds plugin folders (<c>&lt;dir&gt;/&lt;Name&gt;/&lt;Name&gt;.dll</c>), loads each into its own
/// <see cref="PluginLoadContext"/>, and registers its drivers and services in a <see cref="PluginCatalog"/>.
/// A plugin that fails is reported with the reason and skipped; the others still load.
/// </summary>
public sealed class PluginLoader(ILogger<PluginLoader> logger)
{
    private static readonly Version HostSdkVersion = typeof(IPlugin).Assembly.GetName().Version!;

    /// <summary>Loads every plugin folder under each of <paramref name="directories"/> that exists.</summary>
    public void LoadDirectories(IEnumerable<string> directories, PluginCatalog catalog)
    {
        foreach (var directory in directories.Select(Path.GetFullPath).Distinct())
        {
            if (!Directory.Exists(directory))
            {
                logger.LogDebug("Plugin directory {Directory} does not exist; skipped", directory);
                continue;
            }
            foreach (var folder in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
            {
                LoadFolder(folder, catalog);
            }
        }
    }

    /// <summary>Loads the plugin in <paramref name="folder"/>, whose main assembly is named after the folder.</summary>
    public void LoadFolder(string folder, PluginCatalog catalog)
    {
        var name = Path.GetFileName(folder);
        var mainPath = Path.Combine(folder, name + ".dll");
        if (!File.Exists(mainPath))
        {
            Fail(catalog, folder, $"no {name}.dll in the folder; a plugin folder must hold an assembly named after the folder");
            return;
        }

        Assembly assembly;
        try
        {
            assembly = new PluginLoadContext(mainPath).LoadFromAssemblyPath(mainPath);
        }
        catch (BadImageFormatException)
        {
            Fail(catalog, folder, $"{name}.dll is not a .NET assembly; rebuild the plugin or remove the folder");
            return;
        }
        catch (Exception ex) when (ex is FileLoadException or IOException)
        {
            Fail(catalog, folder, $"{name}.dll could not be read: {ex.Message}");
            return;
        }
        Register(assembly, folder, catalog);
    }

    /// <summary>Registers the <see cref="IPlugin"/> types of an assembly already loaded (built-in services, tests).</summary>
    public void Register(Assembly assembly, string location, PluginCatalog catalog)
    {
        var name = assembly.GetName().Name ?? location;
        if (assembly.GetReferencedAssemblies().FirstOrDefault(r => r.Name == "EnergyHub.Abstractions") is { Version: { } sdk }
            && sdk.Major != HostSdkVersion.Major)
        {
            Fail(catalog, location, $"{name} was built against SDK {sdk}, this host has SDK {HostSdkVersion}; rebuild it against the host's SDK");
            return;
        }

        List<Type> pluginTypes;
        try
        {
            pluginTypes = assembly.GetTypes()
                .Where(t => typeof(IPlugin).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
                .ToList();
        }
        catch (ReflectionTypeLoadException ex)
        {
            var first = ex.LoaderExceptions.FirstOrDefault(e => e is not null);
            Fail(catalog, location, $"{name} has types that cannot load: {first?.Message ?? ex.Message}; copy the plugin's whole build output, dependencies included");
            return;
        }
        if (pluginTypes.Count == 0)
        {
            Fail(catalog, location, $"{name} has no public class implementing IPlugin");
            return;
        }

        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? assembly.GetName().Version?.ToString() ?? "?";
        foreach (var type in pluginTypes)
        {
            string? failure;
            try
            {
                failure = catalog.Register((IPlugin)Activator.CreateInstance(type)!, name, version, location);
            }
            catch (Exception ex)
            {
                var inner = ex is TargetInvocationException { InnerException: { } i } ? i : ex;
                failure = $"creating {type.Name} threw {inner.GetType().Name}: {inner.Message}";
            }
            if (failure is not null)
            {
                Fail(catalog, location, $"{name}: {failure}");
            }
            else
            {
                logger.LogDebug("Loaded plugin {Plugin} {Version} from {Location}", name, version, location);
            }
        }
    }

    private void Fail(PluginCatalog catalog, string location, string reason)
    {
        logger.LogError("Plugin at {Location} skipped: {Reason}", location, reason);
        catalog.AddFailure(location, reason);
    }
}
