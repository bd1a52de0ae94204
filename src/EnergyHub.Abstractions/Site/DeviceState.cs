using EnergyHub.Readings;

namespace EnergyHub.Site;

/// <summary>What the core knows about one device at one instant.</summary>
/// <param name="Id">The device id.</param>
/// <param name="Driver">The driver name.</param>
/// <param name="DisplayName">The device's display name.</param>
/// <param name="Reading">The last successful reading, or <c>null</c> before the first.</param>
/// <param name="Health">Online, Stale or Offline, computed at the snapshot's instant.</param>
/// <param name="Age">Time since <see cref="DeviceReading.Timestamp"/> of <paramref name="Reading"/>.</param>
/// <param name="ConsecutiveFailures">Failed reads since the last success.</param>
/// <param name="LastError">The last read error, if the last read failed.</param>
public sealed record DeviceState(
    string Id,
    string Driver,
    string DisplayName,
    DeviceReading? Reading,
    DeviceHealth Health,
    TimeSpan? Age,
    int ConsecutiveFailures,
    string? LastError)
{
    /// <summary>The roles, abilities and facts of the device (rated power, battery capacity, consumer profile).</summary>
    public DeviceFacts Facts { get; init; } = DeviceFacts.Unknown;
}
