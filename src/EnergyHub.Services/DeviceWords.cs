namespace EnergyHub.Services;

/// <summary>How a service names a device in its messages.</summary>
public static class DeviceWords
{
    /// <summary>
    /// "the grid meter house-meter", or just "the prices" when the id already says the role (no "the prices prices").
    /// </summary>
    public static string The(string role, string id) =>
        id.Length == 0 || string.Equals(id, role, StringComparison.OrdinalIgnoreCase) || role.EndsWith(" " + id, StringComparison.OrdinalIgnoreCase)
            ? $"the {role}"
            : $"the {role} {id}";
}
