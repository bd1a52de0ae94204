using EnergyHub.Core.Config;
using EnergyHub.Devices;
using EnergyHub.Options;
using EnergyHub.Plugins;
using EnergyHub.Services;

namespace EnergyHub.Core.Plugins;

/// <summary>
/// Every driver and service the loaded plugins provide, by name (case-insensitive), plus the plugins that failed.
/// A plugin's registrations are taken all together or not at all, except a name two plugins provide: that name is
/// contested and neither plugin's is used (which one would win must not depend on folder order), while the rest of both
/// plugins loads.
/// </summary>
public sealed class PluginCatalog : IDisposable
{
    private readonly List<McMaster.NETCore.Plugins.PluginLoader> _contexts = [];
    private readonly Dictionary<string, DriverRegistration> _drivers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ServiceRegistration> _services = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<PluginInfo> _plugins = [];
    private readonly List<PluginFailure> _failures = [];
    private readonly Dictionary<string, List<string>> _contestedDrivers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _contestedServices = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, DriverRegistration> Drivers => _drivers;
    public IReadOnlyDictionary<string, ServiceRegistration> Services => _services;
    public IReadOnlyList<PluginInfo> Plugins => _plugins;
    public IReadOnlyList<PluginFailure> Failures => _failures;

    /// <summary>Driver names that two or more plugins provide, with those plugins: none of them is used.</summary>
    public IReadOnlyDictionary<string, List<string>> ContestedDrivers => _contestedDrivers;

    /// <summary>Service names that two or more plugins provide, with those plugins: none of them is used.</summary>
    public IReadOnlyDictionary<string, List<string>> ContestedServices => _contestedServices;

    /// <summary>Keeps the load context of a plugin that registered, to unload it with the catalog.</summary>
    public void AddContext(McMaster.NETCore.Plugins.PluginLoader context) => _contexts.Add(context);

    /// <summary>
    /// Unloads the plugins' load contexts. Only once nothing built from this catalog (devices, services, options) is in
    /// use any more: the runtime frees a context when the last reference into it is gone.
    /// </summary>
    public void Dispose()
    {
        foreach (var context in _contexts)
        {
            context.Dispose();
        }
        _contexts.Clear();
    }

    /// <summary>Records a plugin that could not be loaded.</summary>
    public void AddFailure(string location, string reason) => _failures.Add(new PluginFailure(location, reason));

    /// <summary>
    /// Runs <paramref name="plugin"/>'s <see cref="IPlugin.Register"/> and adds what it registered. Returns the failure
    /// reason (and adds nothing) when Register throws or registers something invalid; a name another plugin already
    /// provides becomes contested (reported as a failure of this plugin, the rest of it loads).
    /// </summary>
    public string? Register(IPlugin plugin, string name, string version, string location)
    {
        var pending = new PendingRegistry(name);
        try
        {
            plugin.Register(pending);
        }
        catch (Exception ex)
        {
            return $"Register threw {ex.GetType().Name}: {ex.Message}";
        }

        if (pending.Problems.Count > 0)
        {
            return string.Join("; ", pending.Problems);
        }

        var clashes = new List<string>();
        var label = $"{name} ({location})";
        var drivers = pending.Drivers.Where(d => Claim(_drivers, _contestedDrivers, d.Name, d, r => r.Plugin, label, "driver", clashes)).Select(d => d.Name).ToList();
        var services = pending.Services.Where(s => Claim(_services, _contestedServices, s.Name, s, r => r.Plugin, label, "service", clashes)).Select(s => s.Name).ToList();
        _plugins.Add(new PluginInfo(name, version, location, drivers, services));
        return clashes.Count == 0 ? null : string.Join("; ", clashes) + "; remove one of the plugin folders";
    }

    // Adds a registration under a name nobody else provides; a name already taken (or contested) is withdrawn from
    // everybody, so which plugin is used never depends on the order the folders were found in.
    private bool Claim<T>(Dictionary<string, T> taken, Dictionary<string, List<string>> contested, string key, T registration, Func<T, string> pluginOf,
        string plugin, string kind, List<string> clashes)
    {
        if (contested.TryGetValue(key, out var contenders))
        {
            contenders.Add(plugin);
        }
        else if (taken.Remove(key, out var first))
        {
            var owner = pluginOf(first);
            contested[key] = contenders = [_plugins.FirstOrDefault(p => p.Name == owner) is { } info ? $"{owner} ({info.Location})" : owner, plugin];
            for (var i = 0; i < _plugins.Count; i++)
            {
                _plugins[i] = _plugins[i] with
                {
                    Drivers = _plugins[i].Drivers.Where(n => !n.Equals(key, StringComparison.OrdinalIgnoreCase)).ToList(),
                    Services = _plugins[i].Services.Where(n => !n.Equals(key, StringComparison.OrdinalIgnoreCase)).ToList(),
                };
            }
        }
        else
        {
            taken.Add(key, registration);
            return true;
        }
        clashes.Add($"{kind} '{key}' is provided by {string.Join(" and ", contenders)}, so neither is used");
        return false;
    }

    private sealed class PendingRegistry(string plugin) : IPluginRegistry
    {
        public List<DriverRegistration> Drivers { get; } = [];
        public List<ServiceRegistration> Services { get; } = [];
        public List<string> Problems { get; } = [];

        public void AddDevice<TOptions, TDevice>(string driver, Func<TOptions, DeviceContext, TDevice> factory)
            where TOptions : DeviceOptions, new()
            where TDevice : class, IDevice
        {
            if (CheckName(driver, "driver", Drivers.Select(d => d.Name)) && CheckOptions(typeof(TOptions)))
            {
                Drivers.Add(new DriverRegistration(driver, typeof(TOptions), typeof(TDevice), plugin,
                    (options, context) => factory((TOptions)options, context)));
            }
        }

        public void AddService<TOptions>(string name, Func<TOptions, ServiceContext, IService> factory)
            where TOptions : ServiceOptions, new()
        {
            if (CheckName(name, "service", Services.Select(s => s.Name)) && CheckOptions(typeof(TOptions)))
            {
                Services.Add(new ServiceRegistration(name, typeof(TOptions), plugin,
                    (options, context) => factory((TOptions)options, context)));
            }
        }

        private bool CheckOptions(Type options)
        {
            var unsupported = OptionsBinder.Keys(options).Where(p => !ValueParser.Supports(p.PropertyType)).ToList();
            foreach (var property in unsupported)
            {
                Problems.Add($"option {options.Name}.{property.Name} is a {property.PropertyType.Name}, which config.ini cannot express");
            }
            return unsupported.Count == 0;
        }

        private bool CheckName(string name, string kind, IEnumerable<string> taken)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Any(c => char.IsWhiteSpace(c) || c is ':' or '[' or ']' or '='))
            {
                Problems.Add($"{kind} name '{name}' is empty or contains a space or one of : [ ] =");
                return false;
            }
            if (taken.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                Problems.Add($"{kind} '{name}' is registered twice by {plugin}");
                return false;
            }
            return true;
        }
    }
}
