using System.ComponentModel.DataAnnotations;
using EnergyHub.Commands;
using EnergyHub.Devices;
using EnergyHub.Options;

namespace EnergyHub.Services.EvCharging;

/// <summary>
/// The <c>[EvCharging]</c> section: pv-control's keys, with its defaults, for one charger; each further charger is a
/// <c>[EvCharging:NAME]</c> section that starts from these values and names its own <see cref="Charger"/>.
/// </summary>
public sealed class EvChargingOptions : ServiceOptions, IValidatableObject
{
    /// <summary>In the site cycle the car is offered the surplus before ExportGuard (100) curtails the inverter.</summary>
    public EvChargingOptions() => Priority = 50;

    /// <summary>The wallbox; the service owns its charging current (0 stops charging) and its safe state (on stop).</summary>
    [Required]
    [DeviceRef(typeof(IEvCharger), Commands = [typeof(SetChargeCurrent), typeof(EnterSafeState)])]
    public string Charger { get; init; } = "";

    /// <summary>What switches between 1 and 3 phases: the charger itself (a go-e with the relay) or a relay device; empty = none.</summary>
    [DeviceRef(typeof(IPhaseSwitcher), Commands = [typeof(SetPhases)])]
    public string PhaseSwitcher { get; init; } = "";

    /// <summary>
    /// A relay that switches an older wallbox's supply between 1 phase (off) and 3 phases (on), as pv-control's phase
    /// relay; empty = none. Use it or <see cref="PhaseSwitcher"/>, not both.
    /// </summary>
    [DeviceRef(typeof(ISwitch), Commands = [typeof(SetSwitch)])]
    public string PhaseRelay { get; init; } = "";

    /// <summary>The grid meter (+ import, − export).</summary>
    [Required]
    [DeviceRef(typeof(IMeter))]
    public string GridMeter { get; init; } = "";

    /// <summary>The home battery (+ charging); empty = none.</summary>
    [DeviceRef(typeof(IBattery))]
    public string Battery { get; init; } = "";

    /// <summary>
    /// es-ESS's NoBatToEV: this home battery is held (<c>Hold</c>: it stores PV but does not discharge) while any
    /// charger of the service draws, in every mode, so the car never charges from the home battery; it goes back to
    /// self-consumption (<c>Auto</c>) once no car draws, and on stop. Empty = off. The service then owns the battery's
    /// mode, so no BatteryScheduler may run on the same battery. Meanwhile the house, too, is served from PV and grid.
    /// </summary>
    [DeviceRef(typeof(IBatteryControl), Commands = [typeof(SetBatteryMode)])]
    public string HoldBatteryWhileCharging { get; init; } = "";

    /// <summary>The price source a charge plan ("20 kWh by 07:00") picks the cheapest hours from; empty = the latest hours before the deadline.</summary>
    [DeviceRef(typeof(IPriceSource))]
    public string Prices { get; init; } = "";

    /// <summary>
    /// A charge plan for every day: this much energy into the car by <see cref="PlanBy"/>, kWh, armed again after each
    /// deadline; 0 = none. A plan set on the page or with <c>PUT /api/ev/{charger}/plan</c> replaces it.
    /// </summary>
    [Range(0.0, 500.0)]
    public double DailyPlanKwh { get; init; }

    /// <summary>The deadline of <see cref="DailyPlanKwh"/>, hours after local midnight (7.5 = 07:30).</summary>
    [Range(0.0, 23.99)]
    public double PlanBy { get; init; } = 7;

    /// <summary>The mode at start: Off, PvOnly, PvAll, Max or Manual (PV_ONLY style accepted).</summary>
    public EvMode Mode { get; init; } = EvMode.Off;

    /// <summary>Auto, OnePhase or ThreePhase (with a PhaseSwitcher).</summary>
    public EvPhaseMode PhaseMode { get; init; } = EvPhaseMode.Auto;

    /// <summary>Auto, HomeBattery or Car: who gets the surplus first (pv-control's priority; <c>Priority</c> is every service's site-cycle order).</summary>
    public EvPriority ChargePriority { get; init; } = EvPriority.Auto;

    /// <summary>Auto priority: the home battery below this state of charge, the car above (back below it minus 2 %), %.</summary>
    [Range(0.0, 100.0)]
    public double PrioritySocThreshold { get; init; } = 50;

    /// <summary>How often it decides.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CycleInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A changed on/off wish must persist this long in the PV modes; the current follows at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan OnOffDelay { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>A changed phase wish must persist this long, and as long since the last switch.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan PhaseSwitchDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Phase voltage, V.</summary>
    [Range(100.0, 260.0)]
    public double LineVoltage { get; init; } = 230;

    /// <summary>The least current per phase, A.</summary>
    [Range(1.0, 32.0)]
    public double MinCurrentA { get; init; } = 6;

    /// <summary>The most current per phase, A.</summary>
    [Range(1.0, 80.0)]
    public double MaxCurrentA { get; init; } = 16;

    /// <summary>Added to a switch-on threshold, W.</summary>
    [Range(0.0, 5000.0)]
    public double PowerHysteresisW { get; init; } = 200;

    /// <summary>PvAll switches on above this, W.</summary>
    [Range(0.0, 20_000.0)]
    public double PvAllMinPowerW { get; init; } = 500;

    /// <summary>The bias of the current's rounding, A.</summary>
    [Range(0.0, 0.5)]
    public double RoundingOffsetA { get; init; } = 0.1;

    /// <summary>In a PV mode with no car plugged in this long, the mode goes to Off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan AutoOffAfterUnplugged { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The mode entered when a car is plugged in while Off; Off = none.</summary>
    public EvMode ModeOnConnect { get; init; } = EvMode.Off;

    /// <summary>When a session's energy and charging time start again from 0: Connect (the next car plugged in; the last
    /// session stays on the page until then) or Disconnect (as soon as the car is unplugged).</summary>
    public EvSessionReset SessionResetOn { get; init; } = EvSessionReset.Connect;

    /// <summary>A grid, battery or charger reading older than this counts as missing: in a PV mode charging stops.</summary>
    [MaxAgeOf(nameof(GridMeter), nameof(Battery), nameof(Charger))]
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The further chargers, by the NAME of their <c>[EvCharging:NAME]</c> section.</summary>
    [Subsections(InheritSectionKeys = true)]
    public IReadOnlyDictionary<string, EvChargingOptions> Chargers { get; init; } = new Dictionary<string, EvChargingOptions>();

    /// <summary>Every charger: this section's first (key empty), then each <c>[EvCharging:NAME]</c> by its NAME.</summary>
    public IEnumerable<(string Key, EvChargingOptions Options)> All() => Chargers.Select(c => (c.Key, c.Value)).Prepend(("", this));

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PhaseSwitcher.Length > 0 && PhaseRelay.Length > 0)
        {
            yield return new ValidationResult($"PhaseSwitcher '{PhaseSwitcher}' and PhaseRelay '{PhaseRelay}' both switch phases: keep one", [nameof(PhaseRelay)]);
        }
        if (MinCurrentA > MaxCurrentA)
        {
            yield return new ValidationResult($"MinCurrentA {MinCurrentA} is above MaxCurrentA {MaxCurrentA}", [nameof(MinCurrentA)]);
        }
        // A subsection inherits this section's devices: each must still be one charger's own.
        foreach (var (key, charger) in Chargers)
        {
            foreach (var (name, device) in Devices(charger).Where(d => d.Id.Length > 0))
            {
                if (All().FirstOrDefault(c => c.Key != key && Devices(c.Options).Any(d => string.Equals(d.Id, device, StringComparison.OrdinalIgnoreCase))) is { Options: not null } other)
                {
                    yield return new ValidationResult(
                        $"[EvCharging:{key}] {name} '{device}' is run by {(other.Key.Length == 0 ? "[EvCharging]" : $"[EvCharging:{other.Key}]")} already " +
                        $"(a subsection keeps what it does not set): give [EvCharging:{key}] its own {name}{(name == nameof(Charger) ? "" : $", or '{name} =' for none")}",
                        [name]);
                }
            }
            if (charger.PhaseSwitcher.Length > 0 && charger.PhaseRelay.Length > 0)
            {
                yield return new ValidationResult($"[EvCharging:{key}]: PhaseSwitcher and PhaseRelay both switch phases: keep one", [nameof(PhaseRelay)]);
            }
        }
    }

    private static IEnumerable<(string Name, string Id)> Devices(EvChargingOptions o) =>
        [(nameof(Charger), o.Charger), (nameof(PhaseSwitcher), o.PhaseSwitcher), (nameof(PhaseRelay), o.PhaseRelay)];

    /// <summary>The controller's numbers from these keys.</summary>
    public EvChargeSettings Settings => new()
    {
        LineVoltageV = LineVoltage, MinCurrentA = MinCurrentA, MaxCurrentA = MaxCurrentA, PowerHysteresisW = PowerHysteresisW,
        PvAllMinPowerW = PvAllMinPowerW, RoundingOffsetA = RoundingOffsetA, CycleInterval = CycleInterval, OnOffDelay = OnOffDelay,
        PhaseSwitchDelay = PhaseSwitchDelay, AutoOffAfterUnplugged = AutoOffAfterUnplugged, ModeOnConnect = ModeOnConnect,
        PrioritySocThresholdPct = PrioritySocThreshold,
    };
}
