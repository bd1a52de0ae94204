namespace EnergyHub.Options;

/// <summary>
/// Marks an options property of type <see cref="IReadOnlyDictionary{TKey, TValue}"/> of string to an options class
/// that holds the section's keyed subsections: <c>[SurplusDistributor:heater]</c> binds to the entry <c>heater</c> of
/// the <c>[SurplusDistributor]</c> options, with the same checks as any section (unknown keys, types, ranges,
/// required keys, device references). One such property per options class.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SubsectionsAttribute : Attribute
{
    /// <summary>When set, each key names a device that must exist and implement this contract (e.g. <c>typeof(IDevice)</c>).</summary>
    public Type? KeysAreDevices { get; init; }

    /// <summary>
    /// The <see cref="Commands.DeviceCommand"/> types the service may send to the devices the keys name: it owns, on
    /// each device, those whose ability the device has, and each device must have at least one.
    /// </summary>
    public Type[] Commands { get; init; } = [];

    /// <summary>
    /// True when the subsections have the section's own options class and start from the section's values: each sets
    /// only what differs (<c>[EvCharging:garage]</c> names another charger and keeps the grid meter). The keys every
    /// service has (<see cref="ServiceOptions"/>) belong to the section alone.
    /// </summary>
    public bool InheritSectionKeys { get; init; }
}
