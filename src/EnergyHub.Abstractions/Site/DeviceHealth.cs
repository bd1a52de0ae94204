namespace EnergyHub.Site;

/// <summary>How fresh a device's data is.</summary>
public enum DeviceHealth
{
    /// <summary>Not read yet.</summary>
    Unknown,
    /// <summary>The last reading is younger than the device's stale age.</summary>
    Online,
    /// <summary>The last reading is older than the device's stale age; services should apply their fail-safe.</summary>
    Stale,
    /// <summary>Reads keep failing; the device is retried with backoff and comes back by itself.</summary>
    Offline,
}
