using EnergyHub.Readings;

namespace EnergyHub.Site;

/// <summary>An immutable picture of the whole site at <see cref="Now"/>.</summary>
/// <param name="Now">The instant ages and health were computed at (UTC).</param>
/// <param name="Devices">Every configured device by id.</param>
public sealed record SiteSnapshot(DateTimeOffset Now, IReadOnlyDictionary<string, DeviceState> Devices)
{
    /// <summary>The device configured as the site's grid meter (<c>[Common] GridMeter</c>), or null to take the first that meters the grid.</summary>
    public string? GridMeter { get; init; }

    /// <summary>The site's grid, PV, battery and load power, each flow counted once (see <see cref="SiteBalance"/>).</summary>
    public SiteBalance Balance => SiteBalance.Of(this, GridMeter);

    /// <summary>The state of device <paramref name="id"/>; throws when no such device is configured.</summary>
    public DeviceState this[string id] =>
        Devices.TryGetValue(id, out var state)
            ? state
            : throw new KeyNotFoundException($"No device '{id}' in the site; configured: {string.Join(", ", Devices.Keys)}.");

    /// <summary>
    /// The last reading of device <paramref name="id"/> when it is <see cref="DeviceHealth.Online"/> and no older
    /// than <paramref name="maxAge"/>; otherwise <c>null</c>, and the caller applies its fail-safe.
    /// </summary>
    public DeviceReading? Fresh(string id, TimeSpan maxAge) =>
        Devices.TryGetValue(id, out var state)
        && state is { Health: DeviceHealth.Online, Reading: not null, Age: { } age }
        && age <= maxAge
            ? state.Reading
            : null;
}
