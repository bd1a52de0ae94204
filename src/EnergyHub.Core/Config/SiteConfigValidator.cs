using System.Text.RegularExpressions;
using EnergyHub.Core.Plugins;
using EnergyHub.Options;
using Microsoft.Extensions.Configuration;

namespace EnergyHub.Core.Config;

/// <summary>
/// Turns a <see cref="ConfigDocument"/> into a <see cref="SiteConfig"/> against the drivers and services of a
/// <see cref="PluginCatalog"/>, or reports every problem at once: nothing runs half-configured.
/// </summary>
public static partial class SiteConfigValidator
{
    private const string DevicePrefix = "Device";
    private const string ServicesSection = "Services";
    private static readonly string[] CoreSections = ["Common", "Logging", "Journal", "Web", "Mqtt", ServicesSection];

    /// <summary>Validates <paramref name="document"/>; throws <see cref="ConfigException"/> listing every problem.</summary>
    public static SiteConfig Validate(ConfigDocument document, PluginCatalog catalog)
    {
        var errors = new List<ConfigError>();
        var binder = new OptionsBinder(document);
        var root = document.Root;

        CheckSectionNames(document, catalog, errors);
        var logging = (LoggingOptions)binder.Bind("Logging", typeof(LoggingOptions), complete: true, null, errors);
        var journal = (JournalOptions)binder.Bind("Journal", typeof(JournalOptions), complete: true, null, errors);
        var web = (WebOptions)binder.Bind("Web", typeof(WebOptions), complete: true, null, errors);
        var mqtt = (MqttOptions)binder.Bind("Mqtt", typeof(MqttOptions), complete: true, null, errors);

        var declared = DeviceIds(document).Select(id => root.GetSection($"{DevicePrefix}:{id}")).ToList();
        var drivers = new Dictionary<string, DriverRegistration?>(StringComparer.OrdinalIgnoreCase);
        foreach (var device in declared)
        {
            drivers[device.Key] = ResolveDriver(document, catalog, device, errors);
        }

        OptionsBinder.DeviceRefCheck checkRef = (id, reference) => CheckDeviceRef(id, reference, drivers);
        var common = (CommonOptions)binder.Bind("Common", typeof(CommonOptions), complete: true, checkRef, errors);
        var devices = new List<DeviceConfig>();
        foreach (var device in declared)
        {
            if (!IdPattern().IsMatch(device.Key))
            {
                errors.Add(document.Error($"{DevicePrefix}:{device.Key}", null, $"device id '{device.Key}' has characters ids cannot have",
                    "letters, digits, '-', '_' and '.', starting with a letter"));
            }
            if (drivers[device.Key] is { } driver)
            {
                var options = (DeviceOptions)binder.Bind($"{DevicePrefix}:{device.Key}", driver.OptionsType, complete: true, checkRef, errors);
                devices.Add(new DeviceConfig(device.Key, driver, options));
            }
        }

        var services = new List<ServiceConfig>();
        foreach (var (name, enabled) in ServiceSwitches(document, catalog, errors))
        {
            var registration = catalog.Services[name];
            var options = (ServiceOptions)binder.Bind(registration.Name, registration.OptionsType, complete: enabled, checkRef, errors);
            if (enabled)
            {
                services.Add(new ServiceConfig(registration.Name, registration, options));
            }
        }

        CheckCommandOwners(document, services, drivers, errors);
        CheckMqttUsers(document, mqtt, services, devices, errors);
        CheckReadingAges(document, services, devices, errors);

        if (declared.Count == 0)
        {
            errors.Add(new ConfigError(document.Path, null, "", null, "no [Device:<id>] section, so there is nothing to read or control",
                "at least one device, e.g. [Device:grid] with Driver = sim-meter; config/energyhub.ini documents every driver"));
        }

        if (errors.Count > 0)
        {
            throw new ConfigException(errors.OrderBy(e => e.Line ?? int.MaxValue).ToList());
        }
        return new SiteConfig(document, common, logging, devices, services) { Journal = journal, Web = web, Mqtt = mqtt, Notices = binder.Notices };
    }

    private static void CheckSectionNames(ConfigDocument document, PluginCatalog catalog, List<ConfigError> errors)
    {
        var deviceSections = document.Root.GetSection(DevicePrefix).GetChildren().Select(c => $"{DevicePrefix}:{c.Key}");
        var valid = CoreSections.Concat(catalog.Services.Keys).Append($"{DevicePrefix}:<id>").ToList();
        foreach (var section in document.Root.GetChildren())
        {
            if (section.Key.Equals(DevicePrefix, StringComparison.OrdinalIgnoreCase))
            {
                foreach (var stray in section.GetChildren().Where(c => c.Value is not null))
                {
                    errors.Add(document.Error(DevicePrefix, stray.Key, "devices are declared one per section",
                        "[Device:<id>] with Driver = <name>, e.g. [Device:roof]"));
                }
                continue;
            }
            if (!valid.Contains(section.Key, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(document.Error(section.Key, null,
                    $"unknown section{NearestName.Hint(section.Key, valid.Concat(deviceSections))}",
                    "sections " + string.Join(", ", valid.Select(v => $"[{v}]"))));
            }
        }
    }

    // Device sections with keys (from the file or the environment), plus empty ones, which configuration drops.
    private static IEnumerable<string> DeviceIds(ConfigDocument document) =>
        document.DeclaredSections
            .Where(s => s.StartsWith(DevicePrefix + ":", StringComparison.OrdinalIgnoreCase))
            .Select(s => s[(DevicePrefix.Length + 1)..])
            .Concat(document.Root.GetSection(DevicePrefix).GetChildren().Where(c => c.Value is null).Select(c => c.Key))
            .Distinct(StringComparer.OrdinalIgnoreCase);

    private static DriverRegistration? ResolveDriver(ConfigDocument document, PluginCatalog catalog, IConfigurationSection device, List<ConfigError> errors)
    {
        var section = $"{DevicePrefix}:{device.Key}";
        var name = device["Driver"];
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add(document.Error(section, "Driver", "missing required key", $"Driver = one of {KnownDrivers(catalog)}"));
            return null;
        }
        if (catalog.Drivers.TryGetValue(name.Trim(), out var driver))
        {
            return driver;
        }
        if (catalog.ContestedDrivers.TryGetValue(name.Trim(), out var contenders))
        {
            errors.Add(document.Error(section, "Driver", $"driver '{name}' is provided by {string.Join(" and ", contenders)}, so neither is used",
                "remove one of those plugin folders (energyhub plugins shows where each is)"));
            return null;
        }
        var failed = catalog.Failures.Count == 0
            ? ""
            : $"; {catalog.Failures.Count} plugin(s) failed to load, see `energyhub plugins`";
        errors.Add(document.Error(section, "Driver", $"unknown driver '{name}'{NearestName.Hint(name, catalog.Drivers.Keys)}{failed}",
            KnownDrivers(catalog)));
        return null;
    }

    private static string KnownDrivers(PluginCatalog catalog) =>
        catalog.Drivers.Count == 0 ? "no drivers are loaded; check the plugins folder" : string.Join(", ", catalog.Drivers.Keys.Order());

    private static IEnumerable<(string Name, bool Enabled)> ServiceSwitches(ConfigDocument document, PluginCatalog catalog, List<ConfigError> errors)
    {
        var switches = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in document.Root.GetSection(ServicesSection).GetChildren())
        {
            if (catalog.ContestedServices.TryGetValue(entry.Key, out var contenders))
            {
                errors.Add(document.Error(ServicesSection, entry.Key, $"service '{entry.Key}' is provided by {string.Join(" and ", contenders)}, so neither is used",
                    "remove one of those plugin folders (energyhub plugins shows where each is)"));
                continue;
            }
            if (!catalog.Services.ContainsKey(entry.Key))
            {
                errors.Add(document.Error(ServicesSection, entry.Key, $"unknown service{NearestName.Hint(entry.Key, catalog.Services.Keys)}",
                    catalog.Services.Count == 0 ? "no services are loaded" : string.Join(", ", catalog.Services.Keys.Order())));
                continue;
            }
            if (!ValueParser.TryParse(entry.Value ?? "", typeof(bool), out var value, out var allowed))
            {
                errors.Add(document.Error(ServicesSection, entry.Key, $"'{entry.Value}' is not true or false", allowed));
                continue;
            }
            switches[entry.Key] = (bool)value!;
        }
        foreach (var name in catalog.Services.Keys)
        {
            var hasSection = document.Root.GetSection(name).Exists();
            if (switches.TryGetValue(name, out var enabled))
            {
                yield return (name, enabled);
            }
            else if (hasSection)
            {
                yield return (name, false);
            }
        }
    }

    private static readonly HashSet<Type> DrawControls = [typeof(EnergyHub.Commands.SetAllowance), typeof(EnergyHub.Commands.SetChargeCurrent), typeof(EnergyHub.Commands.SetSwitch)];

    // Each command a service claims must fit the device, and two services may share one only when the lowest ask wins.
    // A service that counts a reading as missing before the device is read again would sit in its fail-safe between reads.
    private static void CheckReadingAges(ConfigDocument document, IEnumerable<ServiceConfig> services, IReadOnlyList<DeviceConfig> devices, List<ConfigError> errors)
    {
        foreach (var service in services)
        {
            var type = service.Options.GetType();
            foreach (var property in type.GetProperties().Where(p => p.PropertyType == typeof(TimeSpan)))
            {
                if (property.GetCustomAttributes(typeof(MaxAgeOfAttribute), inherit: true).FirstOrDefault() is not MaxAgeOfAttribute maxAgeOf)
                {
                    continue;
                }
                var maxAge = (TimeSpan)property.GetValue(service.Options)!;
                var slowest = maxAgeOf.DeviceKeys
                    .Select(key => type.GetProperty(key)?.GetValue(service.Options) as string)
                    .Select(id => devices.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase)))
                    .OfType<DeviceConfig>()
                    .MaxBy(d => d.Options.PollInterval);
                if (slowest is not null && maxAge < slowest.Options.PollInterval)
                {
                    errors.Add(document.Error(service.Name, property.Name,
                        $"{Durations.Format(maxAge)} is shorter than how often {slowest.Id} is read (PollInterval = {Durations.Format(slowest.Options.PollInterval)} " +
                        $"in [{DevicePrefix}:{slowest.Id}]): its readings would count as missing between two reads",
                        $"at least {Durations.Format(slowest.Options.PollInterval)}, or a shorter PollInterval for {slowest.Id}"));
                }
            }
        }
    }

    // A service or driver that talks through the broker cannot work while [Mqtt] is off: say so once, before start.
    private static void CheckMqttUsers(ConfigDocument document, MqttOptions mqtt, IEnumerable<ServiceConfig> services, IEnumerable<DeviceConfig> devices,
        List<ConfigError> errors)
    {
        if (mqtt.Enabled)
        {
            return;
        }
        foreach (var service in services.Where(s => s.Registration.OptionsType.IsDefined(typeof(NeedsMqttAttribute), inherit: true)))
        {
            errors.Add(document.Error(ServicesSection, service.Name, $"{service.Name} publishes to the site's MQTT broker, but [Mqtt] is not enabled",
                $"Enabled = true and Host in [Mqtt], or {service.Name} = false in [Services]"));
        }
        foreach (var device in devices.Where(d => d.Driver.OptionsType.IsDefined(typeof(NeedsMqttAttribute), inherit: true)))
        {
            errors.Add(document.Error($"{DevicePrefix}:{device.Id}", "Driver", $"{device.Driver.Name} talks through the site's MQTT broker, but [Mqtt] is not enabled",
                "Enabled = true and Host in [Mqtt]"));
        }
    }

    private static void CheckCommandOwners(ConfigDocument document, List<ServiceConfig> services, IReadOnlyDictionary<string, DriverRegistration?> drivers,
        List<ConfigError> errors)
    {
        var claimed = new Dictionary<(string Device, Type Command), string>();
        var drawn = new Dictionary<string, (string Service, Type Command)>(StringComparer.OrdinalIgnoreCase);
        var reported = new HashSet<(string Device, string Service)>(); // one line per device and pair of services
        foreach (var service in services)
        {
            var claims = Commands.CommandOwners.Claims(service).ToList();
            foreach (var (id, command, section, key, ifAble) in claims)
            {
                if (!drivers.TryGetValue(id, out var driver) || driver is null)
                {
                    continue; // an unknown device is reported by the reference check
                }
                var ability = Commands.CommandOwners.AbilityOf(command);
                if (!ability.IsAssignableFrom(driver.DeviceType))
                {
                    if (ifAble && key is not null)
                    {
                        continue; // an optional command: sent only where the device has its ability
                    }
                    // A subsection's device needs one of its commands' abilities, and is reported once, at its first claim.
                    var needed = ifAble ? claims.Where(c => c.IfAble && c.Key is null && c.DeviceId == id).Select(c => Commands.CommandOwners.AbilityOf(c.Command)).ToList() : [ability];
                    var firstOfDevice = !ifAble || command == claims.First(c => c.IfAble && c.Key is null && c.DeviceId == id).Command;
                    if (firstOfDevice && !needed.Any(a => a.IsAssignableFrom(driver.DeviceType)))
                    {
                        var names = string.Join(" or ", needed.Select(a => a.Name).Distinct());
                        var fitting = drivers.Where(d => d.Value is not null && needed.Any(a => a.IsAssignableFrom(d.Value.DeviceType))).Select(d => d.Key).ToList();
                        errors.Add(document.Error(section, key,
                            $"{service.Name} sends {(ifAble ? "commands" : command.Name)} to '{id}', but driver {driver.Name} has no {names}",
                            fitting.Count == 0 ? $"a device whose driver has {names}; none is declared" : string.Join(", ", fitting)));
                    }
                    continue;
                }
                if (claimed.TryGetValue((id.ToLowerInvariant(), command), out var owner) && owner != service.Name
                    && !typeof(EnergyHub.Commands.ILowestAskWins).IsAssignableFrom(command))
                {
                    if (!reported.Add((id.ToLowerInvariant(), service.Name)))
                    {
                        continue;
                    }
                    errors.Add(document.Error(section, key, $"{owner} already sends {command.Name} to '{id}': two services would fight over it",
                        $"one owner per device and command: switch one of {owner} and {service.Name} off, or give each its own device"));
                    continue;
                }
                claimed.TryAdd((id.ToLowerInvariant(), command), service.Name);
                // An allowance, a charge current and a switch each set what a device draws: two services must not share it.
                if (DrawControls.Contains(command) && !drawn.TryAdd(id, (service.Name, command)) && drawn[id].Service != service.Name
                    && reported.Add((id.ToLowerInvariant(), service.Name)))
                {
                    var (other, theirs) = drawn[id];
                    errors.Add(document.Error(section, key, $"{other} already sets what '{id}' draws ({theirs.Name}); {service.Name} would fight it with {command.Name}",
                        $"one service per device: leave '{id}' to {other} or to {service.Name}"));
                }
            }
        }
    }

    private static (string Problem, string Allowed)? CheckDeviceRef(string id, DeviceRefAttribute reference, IReadOnlyDictionary<string, DriverRegistration?> drivers)
    {
        if (!drivers.TryGetValue(id, out var driver))
        {
            return ($"device '{id}' does not exist{NearestName.Hint(id, drivers.Keys)}",
                drivers.Count == 0 ? "ids of [Device:<id>] sections, and none are declared" : "ids of [Device:<id>] sections: " + string.Join(", ", drivers.Keys));
        }
        if (driver is not null && !reference.Role.IsAssignableFrom(driver.DeviceType))
        {
            var fitting = drivers.Where(d => d.Value is not null && reference.Role.IsAssignableFrom(d.Value.DeviceType)).Select(d => d.Key).ToList();
            return ($"device '{id}' (driver {driver.Name}, which can play {(driver.Roles.Length == 0 ? "no role" : driver.Roles)}) is not an {reference.Role.Name}",
                fitting.Count == 0 ? $"a device whose driver provides {reference.Role.Name}; none is declared" : string.Join(", ", fitting));
        }
        return null;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]*$")]
    private static partial Regex IdPattern();
}
