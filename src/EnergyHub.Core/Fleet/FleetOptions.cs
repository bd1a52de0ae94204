using System.ComponentModel.DataAnnotations;

namespace EnergyHub.Core.Fleet;

/// <summary>The <c>[Fleet]</c> section of a fleet file (<c>energyhub fleet --config fleet.ini</c>).</summary>
public sealed class FleetOptions : IValidatableObject
{
    /// <summary>The sites publish below it, one level each: a site with <c>[Mqtt] TopicPrefix = energyhub/home1</c> is <c>home1</c>.</summary>
    [MinLength(1)]
    public string Prefix { get; init; } = "energyhub";

    /// <summary>A site whose last summary was sent longer ago than this is shown as stale.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Also journal every device's readings (the sites' MqttExporter <c>state</c> documents), not only each site's balance.</summary>
    public bool DeviceReadings { get; init; } = true;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Prefix.IndexOfAny(['#', '+']) >= 0 || Prefix.EndsWith('/'))
        {
            yield return new ValidationResult("Prefix cannot hold the wildcards # or + nor end in /; e.g. energyhub", [nameof(Prefix)]);
        }
    }
}
