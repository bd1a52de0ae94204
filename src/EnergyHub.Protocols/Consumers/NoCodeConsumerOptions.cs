using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using EnergyHub.Options;

namespace EnergyHub.Protocols.Consumers;

/// <summary>
/// The keys every no-code consumer (es-ESS's NPC: a plug or relay switched by URLs or topics) shares: how its status
/// says "on", and where its power comes from. es-ESS's README spelled the status key <c>IsOnKeywordRegex</c>, its code
/// <c>OnKeywordRegex</c>; both are accepted.
/// </summary>
public abstract class NoCodeConsumerOptions : DeviceOptions, IValidatableObject
{
    /// <summary>A regular expression found in the status when the device is on, e.g. <c>"POWER":"ON"</c>.</summary>
    public string OnKeywordRegex { get; init; } = "";

    /// <summary>The same as <see cref="OnKeywordRegex"/>, as es-ESS's README spelled it.</summary>
    public string IsOnKeywordRegex { get; init; } = "";

    /// <summary>A regular expression whose first group is the power in W, in the power source's text, e.g. <c>"Power":(\d+)</c>.</summary>
    public string PowerExtractRegex { get; init; } = "";

    /// <summary>What it draws while on, W, when it has no power source (es-ESS assumed its Request).</summary>
    [Range(0.0, 100_000.0)]
    public double? OnPowerW { get; init; }

    /// <summary>Whether a power source is configured (a URL or topic of the concrete driver).</summary>
    protected abstract bool HasPowerSource { get; }

    /// <summary>The on-regex, whichever spelling was used.</summary>
    public Regex OnRegex => new(OnKeywordRegex.Length > 0 ? OnKeywordRegex : IsOnKeywordRegex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The power regex, or null without one.</summary>
    public Regex? PowerRegex => PowerExtractRegex.Length == 0 ? null : new(PowerExtractRegex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <inheritdoc />
    public virtual IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OnKeywordRegex.Length == 0 && IsOnKeywordRegex.Length == 0)
        {
            yield return new ValidationResult("set OnKeywordRegex: what the status shows when the device is on (e.g. \"POWER\":\"ON\")", [nameof(OnKeywordRegex)]);
        }
        else if (OnKeywordRegex.Length > 0 && IsOnKeywordRegex.Length > 0 && OnKeywordRegex != IsOnKeywordRegex)
        {
            yield return new ValidationResult("OnKeywordRegex and IsOnKeywordRegex are the same key in two spellings: keep one", [nameof(IsOnKeywordRegex)]);
        }
        foreach (var (key, pattern) in new[] { (nameof(OnKeywordRegex), OnKeywordRegex), (nameof(IsOnKeywordRegex), IsOnKeywordRegex), (nameof(PowerExtractRegex), PowerExtractRegex) })
        {
            if (pattern.Length > 0 && NoCodeConsumerText.Problem(pattern) is { } problem)
            {
                yield return new ValidationResult($"'{pattern}' is not a regular expression: {problem}", [key]);
            }
        }
        if (HasPowerSource && PowerExtractRegex.Length == 0)
        {
            yield return new ValidationResult("a power source needs PowerExtractRegex, whose first group is the power in W (e.g. \"Power\":(\\d+))", [nameof(PowerExtractRegex)]);
        }
        if (!HasPowerSource && OnPowerW is null)
        {
            yield return new ValidationResult("without a power source, set OnPowerW: what the device draws while on, in W", [nameof(OnPowerW)]);
        }
    }
}
