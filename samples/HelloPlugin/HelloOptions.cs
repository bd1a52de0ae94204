using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;

namespace HelloPlugin;

/// <summary>The keys of a <c>[Device:&lt;id&gt;]</c> with <c>Driver = hello</c>, besides the common ones.</summary>
public sealed class HelloOptions : DeviceOptions
{
    /// <summary>The constant power the meter reports, in W.</summary>
    [Required]
    [Range(-100_000.0, 100_000.0)]
    public double PowerW { get; init; }

    /// <summary>How much the power rises with every read, in W, so you can see the readings move.</summary>
    public double StepW { get; init; }
}
