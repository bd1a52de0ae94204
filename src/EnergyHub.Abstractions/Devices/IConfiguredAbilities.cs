namespace EnergyHub.Devices;

/// <summary>
/// A device whose abilities depend on how it is configured (a GoodWe limits either its AC output or its export, as
/// <c>LimitMode</c> says). Without this interface every ability interface a device implements is an ability it has.
/// </summary>
public interface IConfiguredAbilities
{
    /// <summary>Whether this device, as configured, has <paramref name="ability"/> (an interface it implements).</summary>
    bool Has(Type ability);
}

/// <summary>What a device can be told to do.</summary>
public static class Abilities
{
    /// <summary>Whether <paramref name="device"/> implements <paramref name="ability"/> and, as configured, has it.</summary>
    public static bool Has(object device, Type ability) =>
        ability.IsInstanceOfType(device) && (device is not IConfiguredAbilities configured || configured.Has(ability));
}
