namespace EnergyHub.Readings;

/// <summary>A controllable consumer's state. <see cref="PowerW"/> is positive when consuming.</summary>
/// <param name="PowerW">Power consumed now, in W.</param>
/// <param name="IsOn">Whether the consumer is switched on or charging.</param>
public sealed record ConsumerReading(double PowerW, bool IsOn)
{
    /// <summary>The allowance the consumer is following, in W, when it reports one.</summary>
    public double? AllowanceW { get; init; }

    /// <summary>
    /// False when the consumer's own switch says it is run by hand (an es-ESS script's <c>IsAutomatic = false</c>): the
    /// surplus distributor then gives it nothing.
    /// </summary>
    public bool IsAutomatic { get; init; } = true;
}
