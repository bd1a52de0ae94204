using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using EnergyHub.Options;

namespace EnergyHub.Core.Config;

/// <summary>One key of an options section as <c>energyhub plugins --options</c> shows it.</summary>
/// <param name="Key">The key.</param>
/// <param name="Accepts">What text it accepts, with the unit its name carries.</param>
/// <param name="Default">Its default ("(secret)" for a secret, empty when none).</param>
/// <param name="Range">Its allowed range, when it has one.</param>
/// <param name="Required">Whether it must be set.</param>
/// <param name="Description">The summary of its XML doc comment, when the plugin ships its documentation file.</param>
public sealed record OptionDoc(string Key, string Accepts, string Default, string? Range, bool Required, string? Description);

/// <summary>
/// The keys of an options class with their types, defaults, ranges and descriptions. Descriptions come from the XML
/// documentation file beside the options' assembly (a plugin ships it by building with
/// <c>GenerateDocumentationFile</c>), so an author documents a key once, in its doc comment.
/// </summary>
public static partial class OptionDocs
{
    private static readonly ConcurrentDictionary<Assembly, IReadOnlyDictionary<string, string>> Summaries = new();

    /// <summary>Every key of <paramref name="optionsType"/>, base-class keys first.</summary>
    public static IReadOnlyList<OptionDoc> Of(Type optionsType)
    {
        var defaults = Activator.CreateInstance(optionsType);
        return OptionsBinder.Keys(optionsType).Select(property =>
        {
            var secret = property.GetCustomAttribute<SecretAttribute>() is not null;
            var range = property.GetCustomAttribute<RangeAttribute>() is { } r ? $"{OptionsBinder.Show(r.Minimum)} to {OptionsBinder.Show(r.Maximum)}" : null;
            var unit = Conventions.UnitOf(property.Name) is { } u ? $" ({u})" : "";
            return new OptionDoc(property.Name, ValueParser.Describe(property.PropertyType) + unit, secret ? "(secret)" : Show(property.GetValue(defaults)), range,
                property.GetCustomAttribute<RequiredAttribute>() is not null, SummaryOf(property));
        }).ToList();
    }

    /// <summary>The summary of <paramref name="property"/>'s doc comment, or null when its assembly ships no documentation.</summary>
    public static string? SummaryOf(PropertyInfo property)
    {
        var type = property.DeclaringType!;
        var summaries = Summaries.GetOrAdd(type.Assembly, Load);
        return summaries.TryGetValue($"P:{type.FullName!.Replace('+', '.')}.{property.Name}", out var summary) ? summary : null;
    }

    private static string Show(object? value) => value switch
    {
        null => "",
        string text => text,
        IEnumerable list => string.Join(", ", list.Cast<object>()),
        _ => OptionsBinder.Show(value),
    };

    private static IReadOnlyDictionary<string, string> Load(Assembly assembly)
    {
        var path = assembly.Location.Length == 0 ? "" : Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            return new Dictionary<string, string>();
        }
        try
        {
            return XDocument.Load(path).Descendants("member")
                .Where(m => ((string?)m.Attribute("name"))?.StartsWith("P:", StringComparison.Ordinal) == true && m.Element("summary") is not null)
                .GroupBy(m => (string)m.Attribute("name")!)
                .ToDictionary(g => g.Key, g => Text(g.First().Element("summary")!));
        }
        catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException)
        {
            return new Dictionary<string, string>();
        }
    }

    // <see cref="T:X.Y"/> becomes Y, <c>x</c> becomes x; white space collapses.
    private static string Text(XElement summary)
    {
        foreach (var see in summary.Descendants().Where(e => e.Name.LocalName is "see" or "paramref" or "typeparamref").ToList())
        {
            var reference = (string?)see.Attribute("cref") ?? (string?)see.Attribute("name") ?? (string?)see.Attribute("langword") ?? "";
            see.ReplaceWith(see.Value.Length > 0 ? see.Value : reference[(reference.LastIndexOf('.') + 1)..]);
        }
        return Spaces().Replace(summary.Value, " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
