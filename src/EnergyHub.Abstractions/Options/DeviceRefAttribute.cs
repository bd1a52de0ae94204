using EnergyHub.Devices;

namespace EnergyHub.Options;

/// <summary>
/// Marks an options property that names devices by id (a <see cref="string"/>, or a
/// comma-separated list for <see cref="IReadOnlyList{T}"/> of string). At start-up every id must exist as a
/// <c>[Device:&lt;id&gt;]</c> whose driver builds a device implementing <see cref="Role"/>.
/// </summary>
/// <param name="role">The contract the device must implement, e.g. <c>typeof(IInverter)</c>.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DeviceRefAttribute(Type role) : Attribute
{
    /// <summary>Creates a reference that accepts any device.</summary>
    public DeviceRefAttribute() : this(typeof(IDevice))
    {
    }

    /// <summary>The contract the referenced device must implement.</summary>
    public Type Role { get; } = role;

    /// <summary>
    /// The <see cref="Commands.DeviceCommand"/> types the service sends to the referenced devices: it owns them there.
    /// The devices must have each command's ability, and two services may own the same command on the same device only
    /// when it is an <see cref="Commands.ILowestAskWins"/> cap.
    /// </summary>
    public Type[] Commands { get; init; } = [];

    /// <summary>
    /// Commands the service sends to the referenced devices only where a device has the command's ability (an export
    /// guard uses an inverter's own export limit where it has one): owned like <see cref="Commands"/>, never required.
    /// </summary>
    public Type[] OptionalCommands { get; init; } = [];
}
