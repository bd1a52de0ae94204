using System.Reflection;
using System.Runtime.Loader;

namespace EnergyHub.Core.Plugins;

/// <summary>
/// Loads one plugin and its private dependencies in isolation. The SDK, the protocols library and
/// <c>Microsoft.Extensions.*</c> come from the host, so the plugin's <c>IPlugin</c> is the host's <c>IPlugin</c>.
/// </summary>
public sealed class PluginLoadContext(string mainAssemblyPath) : AssemblyLoadContext(Path.GetFileNameWithoutExtension(mainAssemblyPath))
{
    private static readonly string[] SharedPrefixes = ["EnergyHub.Abstractions", "EnergyHub.Protocols", "Microsoft.Extensions."];

    private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

    /// <summary>Whether <paramref name="name"/> is shared with the host rather than loaded from the plugin folder.</summary>
    public static bool IsShared(AssemblyName name) =>
        name.Name is { } simple && SharedPrefixes.Any(prefix => simple.StartsWith(prefix, StringComparison.Ordinal));

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (IsShared(assemblyName))
        {
            return null;
        }
        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
