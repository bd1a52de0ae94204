using System.ComponentModel.DataAnnotations;
using System.Reflection;
using EnergyHub.Options;
using Microsoft.Extensions.Configuration;

namespace EnergyHub.Core.Config;

/// <summary>
/// Binds one config section to an options class, key by key, collecting every problem as a located
/// <see cref="ConfigError"/>: unknown keys (with the nearest valid one), wrong types, missing required keys,
/// out-of-range values, dangling device references.
/// </summary>
public sealed class OptionsBinder(ConfigDocument document)
{
    /// <summary>The device ids a <see cref="DeviceRefAttribute"/> property's value names: one id, a list, or none.</summary>
    public static IEnumerable<string> ReferencedIds(object? value) =>
        value switch { string s when s.Length > 0 => [s], IEnumerable<string> list => list, _ => [] };

    /// <summary>Checks a device id named by a <see cref="DeviceRefAttribute"/> property; returns (problem, allowed) or null.</summary>
    public delegate (string Problem, string Allowed)? DeviceRefCheck(string deviceId, DeviceRefAttribute reference);

    // Ours are documented in config/energyhub.ini; a plugin's keys are listed, with their doc comments, by the plugins verb.
    private static string WhereKeysAreDocumented(Type optionsType, string sectionPath) =>
        optionsType.Assembly.GetName().Name is "EnergyHub.Core" or "EnergyHub.Services" || optionsType.Assembly.GetName().Name?.StartsWith("EnergyHub.Plugins.", StringComparison.Ordinal) == true
            ? "see config/energyhub.ini for this section"
            : sectionPath.StartsWith("Device:", StringComparison.OrdinalIgnoreCase)
                ? "`energyhub plugins --options <its Driver>` lists the keys with what each does"
                : $"`energyhub plugins --options {sectionPath.Split(':')[0]}` lists the keys with what each does";

    /// <summary>The keys <paramref name="optionsType"/> accepts, in declaration order (base class first).</summary>
    public static IReadOnlyList<PropertyInfo> Keys(Type optionsType) =>
        optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<SubsectionsAttribute>() is null)
            .OrderBy(p => Depth(p.DeclaringType!))
            .ToList();

    /// <summary>
    /// Keys renamed to the one convention (a device's telemetry is too old after <c>StaleAfter</c>, prices after
    /// <c>PricesStaleAfter</c>): a config with the old name still starts, and says what to rename.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RenamedKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["TelemetryMaxAge"] = "StaleAfter",
        ["PriceMaxAge"] = "PricesStaleAfter",
    };

    /// <summary>What was accepted but should change (a renamed key), one line each, as check-config and the start print them.</summary>
    public List<string> Notices { get; } = [];

    /// <summary>
    /// Creates <paramref name="optionsType"/> from section <paramref name="sectionPath"/>.
    /// With <paramref name="complete"/> false (a switched-off service) only unknown keys and malformed values are reported.
    /// </summary>
    public object Bind(string sectionPath, Type optionsType, bool complete, DeviceRefCheck? checkRef, List<ConfigError> errors) =>
        Bind(sectionPath, optionsType, complete, checkRef, errors, template: null);

    // With a template (an inheriting subsection) the options start from the section's values, and the keys every
    // service has are not the subsection's to set.
    private object Bind(string sectionPath, Type optionsType, bool complete, DeviceRefCheck? checkRef, List<ConfigError> errors, object? template)
    {
        var options = Activator.CreateInstance(optionsType)
            ?? throw new InvalidOperationException($"{optionsType} needs a public parameterless constructor.");
        var keys = Keys(optionsType).Where(p => template is null || p.DeclaringType != typeof(ServiceOptions)).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var property in template is null ? Enumerable.Empty<PropertyInfo>() : keys.Values)
        {
            property.SetValue(options, property.GetValue(template));
        }
        var section = document.Root.GetSection(sectionPath);
        var seen = new HashSet<string>(template is null ? Enumerable.Empty<string>() : keys.Keys, StringComparer.OrdinalIgnoreCase);
        var badKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var subsections = template is null ? Subsections(optionsType) : null;
        var keyed = new List<IConfigurationSection>();

        foreach (var entry in section.GetChildren())
        {
            if (entry.Value is null && subsections is not null && !keys.ContainsKey(entry.Key))
            {
                keyed.Add(entry);
                continue;
            }
            if (template is not null && typeof(ServiceOptions).GetProperty(entry.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is not null)
            {
                errors.Add(document.Error(sectionPath, entry.Key, "is a key of the whole service, not of one subsection",
                    $"set it in [{sectionPath[..sectionPath.LastIndexOf(':')]}]"));
                continue;
            }
            if (!keys.TryGetValue(entry.Key, out var property) && RenamedKeys.TryGetValue(entry.Key, out var renamed) && keys.TryGetValue(renamed, out property))
            {
                Notices.Add(document.Error(sectionPath, entry.Key, $"is now called {renamed}, and read as that", $"{renamed} = {entry.Value}").ToString());
            }
            if (property is null)
            {
                errors.Add(document.Error(sectionPath, entry.Key, $"unknown key{NearestName.Hint(entry.Key, keys.Keys)}",
                    "the keys " + string.Join(", ", keys.Keys)));
                continue;
            }
            if (entry.Value is null)
            {
                errors.Add(document.Error(sectionPath, entry.Key, "has nested keys but should be a single value",
                    ValueParser.Describe(property.PropertyType)));
                continue;
            }
            seen.Add(property.Name);
            if (!ValueParser.TryParse(entry.Value, property.PropertyType, out var value, out var allowed))
            {
                errors.Add(document.Error(sectionPath, entry.Key, $"'{entry.Value}' is not {ValueParser.Noun(property.PropertyType)}", allowed));
                badKeys.Add(property.Name);
                continue;
            }
            if (complete && !CheckAttributes(sectionPath, property, value, out var problem, out var range))
            {
                errors.Add(document.Error(sectionPath, entry.Key, $"'{entry.Value}' {problem}", range));
                badKeys.Add(property.Name);
                continue;
            }
            if (complete && checkRef is not null && property.GetCustomAttribute<DeviceRefAttribute>() is { } reference)
            {
                foreach (var id in ReferencedIds(value))
                {
                    if (checkRef(id, reference) is { } refError)
                    {
                        errors.Add(document.Error(sectionPath, entry.Key, refError.Problem, refError.Allowed));
                    }
                }
            }
            property.SetValue(options, value);
        }

        if (subsections is { } sub)
        {
            var attribute = sub.Property.GetCustomAttribute<SubsectionsAttribute>()!;
            foreach (var entry in keyed)
            {
                if (complete && checkRef is not null && attribute.KeysAreDevices is { } role && checkRef(entry.Key, new DeviceRefAttribute(role)) is { } refError)
                {
                    errors.Add(document.Error($"{sectionPath}:{entry.Key}", null, refError.Problem, refError.Allowed));
                }
                sub.Entries.Add(entry.Key, Bind($"{sectionPath}:{entry.Key}", sub.Type, complete, checkRef, errors, attribute.InheritSectionKeys ? options : null));
            }
            sub.Property.SetValue(options, sub.Entries);
        }

        if (complete)
        {
            foreach (var property in keys.Values.Where(p => !seen.Contains(p.Name) && p.GetCustomAttribute<RequiredAttribute>() is not null))
            {
                errors.Add(document.Error(sectionPath, property.Name, "missing required key",
                    $"{property.Name} = {ValueParser.Describe(property.PropertyType)}"));
                badKeys.Add(property.Name);
            }
            // Cross-field rules run in the same round as the keys' own checks, so one check-config shows every problem;
            // a rule about a key already reported (its value was refused or missing) would only judge its default.
            if (options is IValidatableObject validatable)
            {
                foreach (var result in validatable.Validate(new ValidationContext(options))
                    .Where(r => !r.MemberNames.Any(badKeys.Contains) && !badKeys.Any(k => r.ErrorMessage?.Contains(k, StringComparison.Ordinal) == true)))
                {
                    errors.Add(document.Error(sectionPath, result.MemberNames.FirstOrDefault(),
                        result.ErrorMessage ?? "invalid combination of values", WhereKeysAreDocumented(optionsType, sectionPath)));
                }
            }
        }
        return options;
    }

    /// <summary>The options class of <paramref name="optionsType"/>'s keyed subsections (<see cref="SubsectionsAttribute"/>), or null.</summary>
    public static Type? SubsectionType(Type optionsType) => Subsections(optionsType)?.Type;

    private static (PropertyInfo Property, Type Type, System.Collections.IDictionary Entries)? Subsections(Type optionsType)
    {
        var property = optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => p.GetCustomAttribute<SubsectionsAttribute>() is not null);
        if (property is null)
        {
            return null;
        }
        var type = property.PropertyType;
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IReadOnlyDictionary<,>) || type.GetGenericArguments()[0] != typeof(string))
        {
            throw new NotSupportedException($"{optionsType.Name}.{property.Name}: [Subsections] needs IReadOnlyDictionary<string, TOptions>.");
        }
        var entryType = type.GetGenericArguments()[1];
        var entries = (System.Collections.IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), entryType), StringComparer.OrdinalIgnoreCase)!;
        return (property, entryType, entries);
    }

    private static bool CheckAttributes(string sectionPath, PropertyInfo property, object? value, out string problem, out string allowed)
    {
        foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
        {
            if (attribute is SecretAttribute && !attribute.IsValid(value))
            {
                (problem, allowed) = ("is a placeholder, not the secret",
                    $"the real value, best from the environment: {ConfigDocument.EnvironmentVariable(sectionPath, property.Name)}=...");
                return false;
            }
            if (attribute is RequiredAttribute && value is string { Length: 0 })
            {
                (problem, allowed) = ("is empty but the key is required", ValueParser.Describe(property.PropertyType));
                return false;
            }
            if (attribute is RangeAttribute range && value is not null && !range.IsValid(value))
            {
                (problem, allowed) = ("is out of range", $"from {Show(range.Minimum)} to {Show(range.Maximum)}");
                return false;
            }
            if (attribute is not RequiredAttribute and not RangeAttribute && !attribute.IsValid(value))
            {
                (problem, allowed) = ("is not valid", attribute.FormatErrorMessage(property.Name));
                return false;
            }
        }
        (problem, allowed) = ("", "");
        return true;
    }

    /// <summary>A value or range bound as config.ini writes it (durations as 5s, 2m).</summary>
    public static string Show(object bound) => bound switch
    {
        TimeSpan span => Durations.Format(span),
        string text when TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span) => Durations.Format(span),
        _ => Convert.ToString(bound, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    private static int Depth(Type type)
    {
        var depth = 0;
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            depth++;
        }
        return depth;
    }
}
