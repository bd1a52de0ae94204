namespace EnergyHub.Plugins;

/// <summary>
/// The entry point of a plugin assembly: one public class with a parameterless constructor.
/// The host creates it once at start-up and calls <see cref="Register"/>.
/// </summary>
public interface IPlugin
{
    /// <summary>Adds the plugin's driver and service factories. Must not do I/O.</summary>
    void Register(IPluginRegistry registry);
}
