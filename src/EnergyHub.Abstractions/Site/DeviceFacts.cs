using EnergyHub.Devices;

namespace EnergyHub.Site;

/// <summary>
/// What a device is and can do, as services need to know it: the roles it plays and the abilities it has as configured
/// (re-checked after every read, so a device that finds out what it is on its first read, such as a GoodWe set to
/// <c>Model = Auto</c>, shows it here), and the facts of those roles. Services take rated power, capacity and limits from
/// here instead of repeating them in their own options.
/// </summary>
/// <param name="Roles">The SDK contracts the device plays now: roles such as <see cref="IInverter"/> and abilities such
/// as <see cref="IActivePowerLimiter"/>.</param>
/// <param name="Confirmed">True once the device has been read: before that, <paramref name="Roles"/> are what it may play.</param>
public sealed record DeviceFacts(IReadOnlySet<Type> Roles, bool Confirmed)
{
    // The SDK contracts a device type implements: found once per type, as facts are taken after every read. Held weakly,
    // so a plugin's types do not keep its unloaded load context alive.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Type, Type[]> SdkContracts = new();

    /// <summary>Nothing known: no roles, not read.</summary>
    public static DeviceFacts Unknown { get; } = new(new HashSet<Type>(), false);

    /// <summary>An inverter's rated AC output, W (100 % of an active-power limit); null when not an inverter or not known yet.</summary>
    public double? RatedPowerW { get; init; }

    /// <summary>What a meter measures, which decides the sign of its power; null when not a meter.</summary>
    public MeterRole? MeterRole { get; init; }

    /// <summary>A battery's capacity and limits; null when not a battery.</summary>
    public BatteryFacts? Battery { get; init; }

    /// <summary>A controllable consumer's request, minimum, step and priority; null when not a consumer.</summary>
    public ConsumerProfile? Consumer { get; init; }

    /// <summary>An EV charger's current range and phases; null when not an EV charger.</summary>
    public EvChargerLimits? Charger { get; init; }

    /// <summary>Whether the device plays <typeparamref name="TRole"/> now.</summary>
    public bool Has<TRole>() => Roles.Contains(typeof(TRole));

    /// <summary>The facts of <paramref name="device"/> now: its roles and abilities as configured, and the facts of each role.</summary>
    /// <param name="device">The device.</param>
    /// <param name="confirmed">Whether it has been read at least once.</param>
    public static DeviceFacts Of(IDevice device, bool confirmed)
    {
        var roles = SdkContracts.GetValue(device.GetType(), type => type.GetInterfaces()
                .Where(i => i.Assembly == typeof(IDevice).Assembly && i != typeof(IDevice) && i != typeof(IConfiguredAbilities))
                .ToArray())
            .Where(i => Abilities.Has(device, i))
            .ToHashSet();
        return new DeviceFacts(roles, confirmed)
        {
            RatedPowerW = roles.Contains(typeof(IInverter)) && device is IInverter { RatedPowerW: > 0 and var rated } ? rated : null,
            MeterRole = roles.Contains(typeof(IMeter)) ? ((IMeter)device).Role : null,
            Battery = roles.Contains(typeof(IBattery)) && device is IBattery battery
                ? new BatteryFacts(battery.CapacityWh, battery.MaxChargeW, battery.MaxDischargeW, battery.RoundTripEfficiencyPct, battery.SocLimitsPct?.MinPct, battery.SocLimitsPct?.MaxPct)
                {
                    Modes = roles.Contains(typeof(IBatteryControl)) && device is IBatteryControl control ? control.Modes : null,
                }
                : null,
            Consumer = roles.Contains(typeof(IConsumer)) ? ((IConsumer)device).Profile : null,
            Charger = roles.Contains(typeof(IEvCharger)) ? ((IEvCharger)device).Limits : null,
        };
    }

    /// <summary>The role names, sorted, for messages: "IBattery, IInverter, IMeter".</summary>
    public string RoleNames => string.Join(", ", Roles.Select(r => r.Name).Order(StringComparer.Ordinal));
}

/// <summary>A battery's capacity and limits, each null when the device does not know it.</summary>
/// <param name="CapacityWh">Usable capacity, Wh.</param>
/// <param name="MaxChargeW">Most it charges with, W (AC side).</param>
/// <param name="MaxDischargeW">Most it discharges with, W (AC side).</param>
/// <param name="RoundTripEfficiencyPct">Round-trip efficiency, %.</param>
/// <param name="MinSocPct">The lowest state of charge the system allows, %.</param>
/// <param name="MaxSocPct">The highest state of charge the system allows, %.</param>
public sealed record BatteryFacts(double? CapacityWh, double? MaxChargeW, double? MaxDischargeW, double? RoundTripEfficiencyPct, double? MinSocPct, double? MaxSocPct)
{
    /// <summary>The modes it takes when it is an <see cref="IBatteryControl"/> as configured; null otherwise.</summary>
    public IReadOnlySet<BatteryMode>? Modes { get; init; }
}
