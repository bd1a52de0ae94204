using EnergyHub.Core.Config;
using EnergyHub.Devices;
using EnergyHub.Options;
using EnergyHub.Plugins;
using EnergyHub.Services;

namespace EnergyHub.Core.Plugins;

/// <summary>
/// Every driver and service the loaded plugins provide, by name (case-insensitive), plus the plugins that failed.
/// A plugin's registrations are taken all together or not at all.
/// </summary>
public sealed class PluginCatalog
{
    private readonly Dictionary<string, DriverRegistration> _drivers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ServiceRegistration> _services = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<PluginInfo> _plugins = [];
    private readonly List<PluginFailure> _failures = [];

    public IReadOnlyDictionary<string, DriverRegistration> Drivers => _drivers;
    public IReadOnlyDictionary<string, ServiceRegistration> Services => _services;
    public IReadOnlyList<PluginInfo> Plugins => _plugins;
    public IReadOnlyList<PluginFailure> Failures => _failures;

    /// <summary>Records a plugin that could not be loaded.</summary>
    public void AddFailure(string location, string reason) => _failures.Add(new PluginFailure(location, reason));

    /// <summary>
    /// Runs <paramref name="plugin"/>'s <see cref="IPlugin.Register"/> and adds what it registered. Returns the failure
    /// reason (and adds nothing) when Register throws or a name is already taken.
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

        var clashes = pending.Drivers.Where(d => _drivers.ContainsKey(d.Name))
            .Select(d => $"driver '{d.Name}' is already provided by {_drivers[d.Name].Plugin}")
            .Concat(pending.Services.Where(s => _services.ContainsKey(s.Name))
                .Select(s => $"service '{s.Name}' is already provided by {_services[s.Name].Plugin}"))
            .Concat(pending.Problems)
            .ToList();
        if (clashes.Count > 0)
        {
            return string.Join("; ", clashes) + "; remove one of the two plugin folders";
        }

        pending.Drivers.ForEach(d => _drivers.Add(d.Name, d));
        pending.Services.ForEach(s => _services.Add(s.Name, s));
        _plugins.Add(new PluginInfo(name, version, location,
            pending.Drivers.Select(d => d.Name).ToList(), pending.Services.Select(s => s.Name).ToList()));
        return null;
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
