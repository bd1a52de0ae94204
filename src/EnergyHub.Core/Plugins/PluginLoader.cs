using System.Reflection;
using System.Runtime.Loader;
using EnergyHub.Plugins;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Plugins;

/// <summary>
/// Finds plugin folders (<c>&lt;dir&gt;/&lt;Name&gt;/&lt;Name&gt;.dll</c>), loads each into its own unloadable load
/// context (McMaster.NETCore.Plugins, see <see cref="PluginContexts"/>), and registers its drivers and services in a
/// <see cref="PluginCatalog"/>. A plugin that fails is reported with the reason and skipped; the others still load.
/// </summary>
public sealed class PluginLoader(ILogger<PluginLoader> logger)
{
    private static readonly Version HostSdkVersion = typeof(IPlugin).Assembly.GetName().Version!;

    /// <summary>
    /// Loads every plugin folder under each of <paramref name="directories"/>. A directory the user <paramref name="named"/>
    /// (<c>--plugin-dir</c>, <c>[Common] PluginDirs</c>) that does not exist, or that is a plugin folder itself rather than
    /// the folder holding plugin folders, is reported as a failure; the default folder may be absent.
    /// </summary>
    public void LoadDirectories(IEnumerable<string> directories, PluginCatalog catalog, bool named = false)
    {
        foreach (var directory in directories.Select(Path.GetFullPath).Distinct())
        {
            if (!Directory.Exists(directory))
            {
                if (named)
                {
                    Fail(catalog, directory, "the plugin directory does not exist; check --plugin-dir and [Common] PluginDirs");
                }
                else
                {
                    logger.LogDebug("Plugin directory {Directory} does not exist; skipped", directory);
                }
                continue;
            }
            var self = Path.GetFileName(directory.TrimEnd(Path.DirectorySeparatorChar));
            if (File.Exists(Path.Combine(directory, self + ".dll")))
            {
                Fail(catalog, directory, $"this is a plugin folder itself (it holds {self}.dll): name the folder that holds plugin folders, {Path.GetDirectoryName(directory)}");
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
        McMaster.NETCore.Plugins.PluginLoader context;
        try
        {
            context = PluginContexts.Create(mainPath);
        }
        catch (Exception ex) when (ex is BadImageFormatException or InvalidOperationException or ArgumentException or IOException)
        {
            Fail(catalog, folder, $"{name}.dll cannot be loaded ({ex.Message}); rebuild the plugin or remove the folder");
            return;
        }
        try
        {
            assembly = context.LoadDefaultAssembly();
        }
        catch (BadImageFormatException)
        {
            context.Dispose();
            Fail(catalog, folder, $"{name}.dll is not a .NET assembly; rebuild the plugin or remove the folder");
            return;
        }
        catch (Exception ex) when (ex is FileLoadException or IOException)
        {
            context.Dispose();
            Fail(catalog, folder, $"{name}.dll could not be read: {ex.Message}");
            return;
        }
        if (ReferenceProblem(context, assembly) is { } problem)
        {
            context.Dispose();
            Fail(catalog, folder, $"{name} {problem}");
            return;
        }
        if (Register(assembly, folder, catalog))
        {
            catalog.AddContext(context);
        }
        else
        {
            context.Dispose();
        }
    }

    /// <summary>
    /// Why <paramref name="assembly"/>'s references cannot all be satisfied, found now rather than at the first call that
    /// needs one: a private dependency missing from the folder, or a shared one (SDK, <c>Microsoft.Extensions.*</c>) newer
    /// than the host's or absent from it. Null when they can.
    /// </summary>
    private static string? ReferenceProblem(McMaster.NETCore.Plugins.PluginLoader context, Assembly assembly)
    {
        foreach (var reference in assembly.GetReferencedAssemblies())
        {
            if (PluginContexts.IsShared(reference))
            {
                if (SharedVersionProblem(reference, HostVersionOf(reference)) is { } shared)
                {
                    return shared;
                }
                continue;
            }
            try
            {
                context.LoadAssembly(reference);
            }
            catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                return $"needs {reference.Name} {reference.Version}, which is neither in its folder nor part of .NET: copy the plugin's whole build output, dependencies included";
            }
        }
        return null;
    }

    /// <summary>Why a plugin referencing <paramref name="reference"/> cannot use the host's copy, of version <paramref name="host"/> (null: the host has none).</summary>
    public static string? SharedVersionProblem(AssemblyName reference, Version? host) =>
        host is null ? $"uses {reference.Name}, which this host does not provide; it can only use what the host shares (the SDK and Microsoft.Extensions.*)"
        : reference.Version is { } wanted && wanted > host
            ? $"was built against {reference.Name} {wanted}, newer than this host's {host}: build it against {host.Major}.{host.Minor} (the EnergyHub version you run)"
            : null;

    private static Version? HostVersionOf(AssemblyName reference)
    {
        if (AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => a.GetName().Name == reference.Name) is { } loaded)
        {
            return loaded.GetName().Version;
        }
        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(reference.Name!)).GetName().Version;
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException)
        {
            return null;
        }
    }

    /// <summary>Registers the <see cref="IPlugin"/> types of an assembly already loaded (built-in services, tests); false when none registered.</summary>
    public bool Register(Assembly assembly, string location, PluginCatalog catalog)
    {
        var name = assembly.GetName().Name ?? location;
        if (assembly.GetReferencedAssemblies().FirstOrDefault(r => r.Name == "EnergyHub.Abstractions") is { Version: { } sdk }
            && sdk.Major != HostSdkVersion.Major)
        {
            Fail(catalog, location, $"{name} was built against SDK {sdk}, this host has SDK {HostSdkVersion}; rebuild it against the host's SDK");
            return false;
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
            return false;
        }
        if (pluginTypes.Count == 0)
        {
            Fail(catalog, location, $"{name} has no public class implementing IPlugin");
            return false;
        }

        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? assembly.GetName().Version?.ToString() ?? "?";
        var registered = false;
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
                registered = true;
                logger.LogDebug("Loaded plugin {Plugin} {Version} from {Location}", name, version, location);
            }
        }
        return registered;
    }

    private void Fail(PluginCatalog catalog, string location, string reason)
    {
        logger.LogError("Plugin at {Location} skipped: {Reason}", location, reason);
        catalog.AddFailure(location, reason);
    }
}
