namespace EnergyHub.Core.Plugins;

/// <summary>A plugin that loaded.</summary>
/// <param name="Name">Its assembly name.</param>
/// <param name="Version">Its informational version.</param>
/// <param name="Location">The folder it was loaded from, or "built-in".</param>
/// <param name="Drivers">Driver names it registered.</param>
/// <param name="Services">Service names it registered.</param>
public sealed record PluginInfo(string Name, string Version, string Location, IReadOnlyList<string> Drivers, IReadOnlyList<string> Services)
{
    /// <summary>Where its types live: the host's own context (built in), or a context of its own that can be unloaded.</summary>
    public string LoadContext => Location == "built-in" ? "host" : "own, unloadable";
}

/// <summary>A plugin that was skipped, and why.</summary>
/// <param name="Location">The folder or assembly that failed.</param>
/// <param name="Reason">What went wrong and what to do about it.</param>
public sealed record PluginFailure(string Location, string Reason);
