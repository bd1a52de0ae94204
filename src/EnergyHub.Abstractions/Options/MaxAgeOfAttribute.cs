namespace EnergyHub.Options;

/// <summary>
/// Marks a duration option after which readings of the devices named by <see cref="DeviceKeys"/> (device-reference
/// options of the same section) count as missing. Config validation refuses a value shorter than such a device's
/// <c>PollInterval</c>: its readings would count as missing between two reads, and the service would fall back to its
/// fail-safe most of the time.
/// </summary>
/// <param name="deviceKeys">Names of the options that hold device ids, e.g. <c>nameof(Prices)</c>.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxAgeOfAttribute(params string[] deviceKeys) : Attribute
{
    /// <summary>The options that name the devices whose readings this age applies to.</summary>
    public IReadOnlyList<string> DeviceKeys { get; } = deviceKeys;
}
