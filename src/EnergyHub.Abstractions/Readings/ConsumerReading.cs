namespace EnergyHub.Readings;

/// <summary>A controllable consumer's state. <see cref="PowerW"/> is positive when consuming.</summary>
/// <param name="PowerW">Power consumed now, in W.</param>
/// <param name="IsOn">Whether the consumer is switched on or charging.</param>
public sealed record ConsumerReading(double PowerW, bool IsOn)
{
    /// <summary>The allowance the consumer is following, in W, when it reports one.</summary>
    public double? AllowanceW { get; init; }
}
