using EnergyHub.Devices;
using EnergyHub.Readings;
using EnergyHub.Site;

namespace EnergyHub.Testing;

/// <summary>
/// Builds the <see cref="SiteSnapshot"/> a service sees, device by device, in SDK units and signs. Calls for the same id
/// add to that device (a battery system that is also the grid meter is <c>.Battery("bat", ...).GridMeter("bat", ...)</c>).
/// </summary>
/// <param name="now">The snapshot's instant; readings are taken <c>age</c> before it (default: just now).</param>
public sealed class SiteBuilder(DateTimeOffset now)
{
    private readonly Dictionary<string, Entry> _devices = new(StringComparer.OrdinalIgnoreCase);
    private string? _gridMeter;

    /// <summary>The snapshot's instant.</summary>
    public DateTimeOffset Now => now;

    /// <summary>An inverter producing <paramref name="acPowerW"/> of <paramref name="ratedPowerW"/>, holding <paramref name="limitPct"/> when it reports one.</summary>
    public SiteBuilder Inverter(string id, double acPowerW, double ratedPowerW, double? limitPct = null, TimeSpan? age = null) =>
        Add(id, age, r => r with { Inverter = new InverterReading(acPowerW, acPowerW) { ActivePowerLimitPct = limitPct } },
            f => f with { RatedPowerW = ratedPowerW }, typeof(IInverter), typeof(IActivePowerLimiter));

    /// <summary>The inverter <paramref name="id"/> holds back <paramref name="curtailedW"/> because of a limit (it reports its curtailed power).</summary>
    public SiteBuilder Curtailing(string id, double curtailedW) =>
        Add(id, null, r => r with { Inverter = (r.Inverter ?? new InverterReading(0, 0)) with { CurtailedPowerW = curtailedW } }, f => f);

    /// <summary>The inverter <paramref name="id"/> also has a grid export limit of its own (<see cref="IExportLimiter"/>).</summary>
    public SiteBuilder WithExportLimit(string id) => Add(id, null, r => r, f => f, typeof(IExportLimiter));

    /// <summary>A grid meter: + import, − export.</summary>
    public SiteBuilder GridMeter(string id, double powerW, TimeSpan? age = null) =>
        Add(id, age, r => r with { Meter = new MeterReading(powerW) }, f => f with { MeterRole = MeterRole.Grid }, typeof(IMeter));

    /// <summary>A battery at <paramref name="socPct"/>: + charging, − discharging.</summary>
    public SiteBuilder Battery(string id, double socPct, double powerW, TimeSpan? age = null, double? capacityWh = null, double? voltageV = null, double? currentA = null) =>
        Add(id, age, r => r with { Battery = new BatteryReading(socPct, powerW) { VoltageV = voltageV, CurrentA = currentA } },
            f => f with { Battery = new BatteryFacts(capacityWh, null, null, null, null, null) }, typeof(IBattery));

    /// <summary>A price source whose current interval (an hour around now) pays <paramref name="feedInPerKwh"/> for export.</summary>
    public SiteBuilder Prices(string id, double feedInPerKwh, double importPerKwh = 0.30, string currency = "AUD", TimeSpan? age = null) =>
        Add(id, age, r => r with
        {
            Prices = new PriceSeries(currency, [new PriceInterval(now.AddMinutes(-30), now.AddMinutes(30), importPerKwh, feedInPerKwh, false)]),
        }, f => f, typeof(IPriceSource));

    /// <summary>
    /// A relay (<see cref="ISwitch"/>); with <paramref name="drawingW"/>, one that meters what its load draws (a Shelly Plus
    /// 1PM on a heater: a Load meter too), without, one whose draw is not known.
    /// </summary>
    public SiteBuilder Switch(string id, double? drawingW = null, TimeSpan? age = null) => drawingW is { } w
        ? Add(id, age, r => r with { Meter = new MeterReading(w) }, f => f with { MeterRole = MeterRole.Load }, typeof(ISwitch), typeof(IMeter))
        : Add(id, age, r => r, f => f, typeof(ISwitch));

    /// <summary>
    /// A consumer that follows an allowance (<see cref="IConsumer"/>: a sim relay, a heat pump's SG-ready input, an es-ESS
    /// script), drawing <paramref name="powerW"/>; <paramref name="isAutomatic"/> false when its own switch says it runs by hand.
    /// </summary>
    public SiteBuilder Consumer(string id, double powerW, bool? isOn = null, double? allowanceW = null, TimeSpan? age = null, bool isAutomatic = true) =>
        Add(id, age, r => r with { Consumer = new ConsumerReading(powerW, isOn ?? powerW > 0) { AllowanceW = allowanceW, IsAutomatic = isAutomatic } }, f => f, typeof(IConsumer));

    /// <summary>
    /// A wallbox (<see cref="IEvCharger"/> that takes a current, <see cref="ICurrentLimiter"/>) with the car in state
    /// <paramref name="car"/>, charging <paramref name="powerW"/> at <paramref name="currentA"/> on <paramref name="phases"/>,
    /// within <paramref name="limits"/> when it reports them.
    /// </summary>
    public SiteBuilder Charger(string id, EvCarState car, double powerW = 0, double currentA = 0, int phases = 3, EvChargerLimits? limits = null, TimeSpan? age = null) =>
        Add(id, age, r => r with { Charger = new EvChargerReading(car, powerW, currentA, phases), Consumer = new ConsumerReading(powerW, powerW > 0) },
            f => f with { Charger = limits ?? f.Charger }, typeof(IEvCharger), typeof(IConsumer), typeof(ICurrentLimiter));

    /// <summary>Any other device, with its reading and facts as given.</summary>
    public SiteBuilder Device(string id, DeviceReading reading, DeviceFacts facts, DeviceHealth health = DeviceHealth.Online)
    {
        _devices[id] = new Entry(reading, facts, health, null);
        return this;
    }

    /// <summary>The device has failed its last reads and is Offline (its last reading, if any, stays).</summary>
    public SiteBuilder Offline(string id, string error = "no answer")
    {
        var entry = _devices.TryGetValue(id, out var known) ? known : new Entry(null, DeviceFacts.Unknown, DeviceHealth.Offline, null);
        _devices[id] = entry with { Health = DeviceHealth.Offline, Error = error };
        return this;
    }

    /// <summary>Names the site's grid meter when several devices meter the grid (<c>[Common] GridMeter</c>).</summary>
    public SiteBuilder WithGridMeter(string id)
    {
        _gridMeter = id;
        return this;
    }

    /// <summary>The snapshot.</summary>
    public SiteSnapshot Build() => new(now, _devices.ToDictionary(d => d.Key, d => d.Value.State(d.Key, now), StringComparer.OrdinalIgnoreCase)) { GridMeter = _gridMeter };

    private SiteBuilder Add(string id, TimeSpan? age, Func<DeviceReading, DeviceReading> part, Func<DeviceFacts, DeviceFacts> facts, params Type[] roles)
    {
        var timestamp = now - (age ?? TimeSpan.Zero);
        var entry = _devices.TryGetValue(id, out var known) ? known : new Entry(null, DeviceFacts.Unknown, DeviceHealth.Online, null);
        var reading = part((entry.Reading ?? new DeviceReading { Timestamp = timestamp }) with { Timestamp = timestamp });
        var merged = facts(entry.Facts with { Roles = entry.Facts.Roles.Concat(roles).ToHashSet(), Confirmed = true });
        _devices[id] = entry with { Reading = reading, Facts = merged };
        return this;
    }

    private sealed record Entry(DeviceReading? Reading, DeviceFacts Facts, DeviceHealth Health, string? Error)
    {
        // Health as the host computes it: Online while fresh; a reading older than the stale limit of the host's default
        // poll interval (3 × 5 s) is Stale; Offline as set.
        public DeviceState State(string id, DateTimeOffset now)
        {
            var age = Reading is null ? (TimeSpan?)null : now - Reading.Timestamp;
            var health = Health == DeviceHealth.Offline ? DeviceHealth.Offline
                : Reading is null ? DeviceHealth.Unknown
                : age > TimeSpan.FromSeconds(15) ? DeviceHealth.Stale : DeviceHealth.Online;
            return new DeviceState(id, "test", id, Reading, health, age, Health == DeviceHealth.Offline ? 3 : 0, Error) { Facts = Facts };
        }
    }
}
