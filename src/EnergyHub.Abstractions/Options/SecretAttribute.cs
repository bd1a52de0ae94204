using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace EnergyHub.Options;

/// <summary>
/// Marks an options property that holds a secret (an API key, an app secret, a password). Config validation refuses a
/// value that is a placeholder from an example file ("set-in-environment", "changeme", "XXXX", "&lt;your key&gt;"), so a
/// forgotten secret is named at start-up instead of failing later as a refused login. Empty values are left to
/// <see cref="RequiredAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class SecretAttribute : ValidationAttribute
{
    /// <summary>True unless <paramref name="value"/> is a placeholder.</summary>
    public override bool IsValid(object? value) => value is not string text || !IsPlaceholder(text);

    /// <summary>True for the usual stand-ins for a secret in example files.</summary>
    public static bool IsPlaceholder(string value) => Placeholder().IsMatch(value.Trim());

    [GeneratedRegex(@"^(set[-_ ]?(it[-_ ]?)?in[-_ ]?(the[-_ ]?)?env(ironment)?|change[-_ ]?me|your[-_ ].*|<.*>|\.\.\.|todo|secret|password|.*x{4,}.*)$",
        RegexOptions.IgnoreCase)]
    private static partial Regex Placeholder();
}
