using System.Reflection;
using System.Runtime.Loader;
using EnergyHub.Plugins;

namespace EnergyHub.Core.Plugins;

/// <summary>
/// How a plugin is isolated, on McMaster.NETCore.Plugins: each plugin gets its own unloadable load context with its
/// private dependencies (from its folder's deps.json), while the SDK, the protocols library and
/// <c>Microsoft.Extensions.*</c> come from the host, so the plugin's <c>IPlugin</c> is the host's <c>IPlugin</c>.
/// Unloadable, so a replaced or removed plugin can be let go while EnergyHub runs; loaded from memory, not mapped from
/// its files, so copying a new build over a loaded plugin (as an install step does) can never pull code from under it.
/// </summary>
public static class PluginContexts
{
    private static readonly string[] SharedPrefixes = ["EnergyHub.Abstractions", "EnergyHub.Protocols", "Microsoft.Extensions."];

    /// <summary>Whether <paramref name="name"/> is shared with the host rather than loaded from the plugin folder.</summary>
    public static bool IsShared(AssemblyName name) =>
        name.Name is { } simple && SharedPrefixes.Any(prefix => simple.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>A loader for the plugin whose main assembly is <paramref name="mainAssemblyPath"/>; nothing is loaded yet.</summary>
    public static McMaster.NETCore.Plugins.PluginLoader Create(string mainAssemblyPath) =>
        McMaster.NETCore.Plugins.PluginLoader.CreateFromAssemblyFile(mainAssemblyPath, [typeof(IPlugin)], config =>
        {
            config.IsUnloadable = true;
            config.LoadInMemory = true;
            config.PreferSharedTypes = false; // only what is named shared comes from the host; a plugin's own libraries stay its own
            foreach (var shared in SharedNames(mainAssemblyPath))
            {
                config.SharedAssemblies.Add(shared);
            }
        });

    // The shared assemblies the host has, plus those the plugin names (one the host lacks is reported by the loader).
    private static IEnumerable<AssemblyName> SharedNames(string mainAssemblyPath)
    {
        var names = AssemblyLoadContext.Default.Assemblies.Select(a => a.GetName()).Where(IsShared).ToList();
        try
        {
            names.AddRange(ReferencesOf(mainAssemblyPath).Where(IsShared));
        }
        catch (Exception ex) when (ex is BadImageFormatException or InvalidOperationException or IOException)
        {
            // Not an assembly: loading it says so.
        }
        return names.DistinctBy(n => n.Name);
    }

    private static IEnumerable<AssemblyName> ReferencesOf(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return [.. metadata.AssemblyReferences.Select(h => metadata.GetAssemblyReference(h).GetAssemblyName())];
    }
}
