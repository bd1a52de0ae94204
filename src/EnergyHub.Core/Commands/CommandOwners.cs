using System.Reflection;
using EnergyHub.Commands;
using EnergyHub.Core.Config;
using EnergyHub.Options;

namespace EnergyHub.Core.Commands;

/// <summary>
/// Who may send which command to which device, from the config: a service owns the commands its options'
/// <see cref="DeviceRefAttribute.Commands"/> name on the devices those options reference. Sources that are not
/// services (operator verbs such as <c>safe-state</c>) are not bound by it.
/// </summary>
public sealed class CommandOwners
{
    private readonly Dictionary<(string Device, Type Command), List<string>> _owners = new();
    private readonly HashSet<string> _services = new(StringComparer.Ordinal);

    /// <summary>Nobody owns anything: every source may send every command (tests and tools that run no services).</summary>
    public static CommandOwners None { get; } = new([]);

    /// <summary>Owners from the switched-on services of a site.</summary>
    public CommandOwners(IEnumerable<ServiceConfig> services)
    {
        foreach (var service in services)
        {
            _services.Add(service.Name);
            foreach (var (deviceId, command, _, _, _) in Claims(service))
            {
                var key = (deviceId.ToLowerInvariant(), command);
                if (!_owners.TryGetValue(key, out var owners))
                {
                    _owners[key] = owners = [];
                }
                if (!owners.Contains(service.Name))
                {
                    owners.Add(service.Name);
                }
            }
        }
    }

    /// <summary>Whether <paramref name="source"/> is a switched-on service (and so bound by ownership), not an operator verb.</summary>
    public bool IsService(string source) => _services.Contains(source);

    /// <summary>The services that own <paramref name="command"/> on <paramref name="deviceId"/>.</summary>
    public IReadOnlyList<string> Of(string deviceId, Type command) =>
        _owners.TryGetValue((deviceId.ToLowerInvariant(), command), out var owners) ? owners : [];

    /// <summary>Null when <paramref name="source"/> may send <paramref name="command"/> to <paramref name="deviceId"/>, else why not.</summary>
    public string? Refusal(string source, string deviceId, Type command)
    {
        if (!IsService(source))
        {
            return null;
        }
        var owners = Of(deviceId, command);
        return owners.Contains(source)
            ? null
            : $"{source} does not own {command.Name} on '{deviceId}' ({(owners.Count == 0 ? "no service does" : "owned by " + string.Join(", ", owners))}): " +
              $"name the device in {source}'s own settings, or switch the other service off";
    }

    /// <summary>
    /// One problem per role a service references and per command it claims on a device that, as configured, lacks it (a
    /// GoodWe with <c>LimitMode = ExportW</c> cannot limit AC output; one with <c>Model = Dt</c> is no battery); checked
    /// once the devices are built.
    /// </summary>
    public static IReadOnlyList<ConfigError> MissingAbilities(SiteConfig config, Devices.DeviceRegistry devices)
    {
        var errors = new List<ConfigError>();
        foreach (var service in config.Services)
        {
            var needs = References(service).Select(r => (r.DeviceId, Ability: r.Role, r.Section, r.Key, What: $"names '{r.DeviceId}' as {r.Role.Name}"))
                .Concat(Claims(service).Where(c => !c.IfAble).Select(c => (c.DeviceId, Ability: AbilityOf(c.Command), c.Section, Key: c.Key!, What: $"sends {c.Command.Name} to '{c.DeviceId}'")));
            foreach (var (id, ability, section, key, what) in needs.Distinct())
            {
                if (devices.TryGet(id, out var session) && ability.IsInstanceOfType(session.Device) && !EnergyHub.Devices.Abilities.Has(session.Device, ability))
                {
                    var plays = EnergyHub.Site.DeviceFacts.Of(session.Device, confirmed: false).RoleNames;
                    errors.Add(config.Document.Error(section, key,
                        $"{service.Name} {what}, but as configured it has no {ability.Name} (it plays {plays})",
                        $"a device configured for {ability.Name} (see the {session.Driver} keys in config/energyhub.ini, e.g. LimitMode or Model)"));
                }
            }
        }
        return errors;
    }

    /// <summary>Every (device, role, section, options key) a service's <see cref="DeviceRefAttribute"/> options name, its inheriting subsections' too.</summary>
    public static IEnumerable<(string DeviceId, Type Role, string Section, string Key)> References(ServiceConfig service)
    {
        foreach (var (section, options) in Sections(service))
        {
            foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetCustomAttribute<DeviceRefAttribute>() is { } reference && reference.Role != typeof(EnergyHub.Devices.IDevice))
                {
                    foreach (var id in OptionsBinder.ReferencedIds(property.GetValue(options)))
                    {
                        yield return (id, reference.Role, section, property.Name);
                    }
                }
            }
        }
    }

    /// <summary>The ability a <see cref="DeviceCommand"/> type needs: its <c>DeviceCommand&lt;TAbility&gt;</c> argument.</summary>
    public static Type AbilityOf(Type command)
    {
        for (var type = command; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(DeviceCommand<>))
            {
                return type.GetGenericArguments()[0];
            }
        }
        return typeof(EnergyHub.Devices.IDevice);
    }

    /// <summary>
    /// Every (device, command, section, options key) a service claims through its options and its inheriting
    /// subsections' options; <c>IfAble</c> marks a claim that holds only where the device has the command's ability: one of
    /// keyed subsections (<see cref="SubsectionsAttribute.Commands"/>, whose key is null: the section is the claim) or an
    /// optional one (<see cref="DeviceRefAttribute.OptionalCommands"/>, with its key).
    /// </summary>
    public static IEnumerable<(string DeviceId, Type Command, string Section, string? Key, bool IfAble)> Claims(ServiceConfig service)
    {
        foreach (var (section, options) in Sections(service))
        {
            foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetCustomAttribute<SubsectionsAttribute>() is { Commands.Length: > 0 } keyed
                    && property.GetValue(options) is System.Collections.IDictionary entries)
                {
                    foreach (var id in entries.Keys.Cast<string>())
                    {
                        foreach (var command in keyed.Commands)
                        {
                            yield return (id, command, $"{section}:{id}", null, true);
                        }
                    }
                    continue;
                }
                if (property.GetCustomAttribute<DeviceRefAttribute>() is not { } reference || reference.Commands.Length + reference.OptionalCommands.Length == 0)
                {
                    continue;
                }
                foreach (var id in OptionsBinder.ReferencedIds(property.GetValue(options)))
                {
                    foreach (var command in reference.Commands)
                    {
                        yield return (id, command, section, property.Name, false);
                    }
                    foreach (var command in reference.OptionalCommands)
                    {
                        yield return (id, command, section, property.Name, true);
                    }
                }
            }
        }
    }

    // The service's own section and each subsection that inherits it (a charger of its own in [EvCharging:garage]).
    private static IEnumerable<(string Section, object Options)> Sections(ServiceConfig service)
    {
        yield return (service.Name, service.Options);
        foreach (var property in service.Options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<SubsectionsAttribute>() is { InheritSectionKeys: true }
                && property.GetValue(service.Options) is System.Collections.IDictionary entries)
            {
                foreach (System.Collections.DictionaryEntry entry in entries)
                {
                    yield return ($"{service.Name}:{entry.Key}", entry.Value!);
                }
            }
        }
    }
}
