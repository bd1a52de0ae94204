using System.ComponentModel.DataAnnotations;
using System.Globalization;
using EnergyHub.Commands;
using EnergyHub.Devices;
using EnergyHub.Options;

namespace EnergyHub.Services.BatteryScheduler;

/// <summary>How the battery is planned.</summary>
public enum ScheduleStrategy
{
    /// <summary>The cheapest plan over the prices known, re-planned every slot (<see cref="BatteryPlanner"/>).</summary>
    Optimal,
    /// <summary>The GoodWe coordinator's tiers (<see cref="CoordinatorRules"/>).</summary>
    Rules,
}

/// <summary>The <c>[BatteryScheduler]</c> section.</summary>
public sealed class BatterySchedulerOptions : ServiceOptions, IValidatableObject
{
    /// <summary>A tick a minute: the plan changes by the slot, a mode set stays until it is changed.</summary>
    public BatterySchedulerOptions() => Interval = TimeSpan.FromMinutes(1);

    /// <summary>The battery system it puts into modes (it must read its state of charge too).</summary>
    [Required]
    [DeviceRef(typeof(IBatteryControl), Commands = [typeof(SetBatteryMode)])]
    public string Battery { get; init; } = "";

    /// <summary>The price source (final prices: tariff included).</summary>
    [Required]
    [DeviceRef(typeof(IPriceSource))]
    public string Prices { get; init; } = "";

    /// <summary>The grid meter (+ import): with PV and the battery it gives the house's load.</summary>
    [Required]
    [DeviceRef(typeof(IMeter))]
    public string GridMeter { get; init; } = "";

    /// <summary>The PV inverter; empty = no PV.</summary>
    [DeviceRef(typeof(IInverter))]
    public string Inverter { get; init; } = "";

    /// <summary>Optimal (the default) or Rules.</summary>
    public ScheduleStrategy Strategy { get; init; } = ScheduleStrategy.Optimal;

    /// <summary>Usable capacity, kWh; 0 = what the battery reports.</summary>
    [Range(0.0, 1000.0)]
    public double CapacityKwh { get; init; }

    /// <summary>Most charge power, kW; 0 = what the battery reports.</summary>
    [Range(0.0, 500.0)]
    public double MaxChargeKw { get; init; }

    /// <summary>Most discharge power, kW; 0 = what the battery reports.</summary>
    [Range(0.0, 500.0)]
    public double MaxDischargeKw { get; init; }

    /// <summary>What comes out of what went in, %.</summary>
    [Range(50.0, 100.0)]
    public double RoundTripEfficiencyPct { get; init; } = 90;

    /// <summary>Never planned below this, %.</summary>
    [Range(0.0, 100.0)]
    public double ReserveSocPct { get; init; } = 10;

    /// <summary>Never planned above this, %.</summary>
    [Range(0.0, 100.0)]
    public double MaxSocPct { get; init; } = 100;

    /// <summary>Wear per kWh that goes in and comes out again, in the prices' currency.</summary>
    [Range(0.0, 10.0)]
    public double CycleCostPerKwh { get; init; } = 0.02;

    /// <summary>A state of charge required every day by a local time, <c>HH:mm PCT</c> (<c>07:00 80</c>); empty = none.</summary>
    public string TargetSocAt { get; init; } = "";

    /// <summary>The most the site may import, kW; 0 = no cap.</summary>
    [Range(0.0, 1000.0)]
    public double GridImportCapKw { get; init; }

    /// <summary>Re-plan within a slot when the state of charge is this far off the plan, %.</summary>
    [Range(0.5, 100.0)]
    public double ReplanSocDeviationPct { get; init; } = 5;

    /// <summary>
    /// With <c>Strategy = Optimal</c>, plan the chargers' charge plans ("20 kWh by 07:00", EvCharging) together with the
    /// battery, as second stores with deadlines; false leaves each charger to plan on prices alone, and the battery to
    /// plan as if no car charged.
    /// </summary>
    public bool PlanChargers { get; init; } = true;

    /// <summary>
    /// Where the PV is, degrees north (+) or south (−): the forecast starts from a clear-sky curve there until the site
    /// has its own history. Empty = the city of <c>[Common] TimeZone</c> in the tz database (e.g. Brisbane for
    /// Australia/Brisbane); set it with <see cref="Longitude"/> when the zone is far from the site or not a city's.
    /// </summary>
    [Range(-90.0, 90.0)]
    public double? Latitude { get; init; }

    /// <summary>Where the PV is, degrees east (+) or west (−); set together with <see cref="Latitude"/>.</summary>
    [Range(-180.0, 180.0)]
    public double? Longitude { get; init; }

    /// <summary>The PV's peak power for the clear-sky curve, kWp; 0 = the inverter's rated power.</summary>
    [Range(0.0, 10000.0)]
    public double PvKwp { get; init; }

    /// <summary>A battery, meter or price reading older than this counts as missing: the battery goes back to self-consumption.</summary>
    [MaxAgeOf(nameof(Battery), nameof(GridMeter), nameof(Prices), nameof(Inverter))]
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Grid charging stops above this battery temperature, °C (a reading the battery gives; none = no check).</summary>
    [Range(-40.0, 100.0)]
    public double MaxBatteryTempC { get; init; } = 50;

    /// <summary>Grid charging stops below this battery temperature, °C.</summary>
    [Range(-40.0, 100.0)]
    public double MinBatteryTempC { get; init; } = 0;

    /// <summary>Grid charging stops outside this battery (pack) voltage, V; 0 = no check.</summary>
    [Range(0.0, 2000.0)]
    public double MinBatteryVoltageV { get; init; }

    /// <inheritdoc cref="MinBatteryVoltageV"/>
    [Range(0.0, 2000.0)]
    public double MaxBatteryVoltageV { get; init; }

    /// <summary>Grid charging stops when the lowest cell is below this voltage, V; 0 = no check (LiFePO4: about 2.8).</summary>
    [Range(0.0, 10.0)]
    public double MinCellVoltageV { get; init; }

    /// <summary>Grid charging stops when the highest cell is above this voltage, V; 0 = no check (LiFePO4: about 3.55).</summary>
    [Range(0.0, 10.0)]
    public double MaxCellVoltageV { get; init; }

    /// <summary>Grid charging stops when a phase of the grid meter is outside this voltage, V (EN 50160: 230 V ± 10 %).</summary>
    [Range(0.0, 500.0)]
    public double MinGridVoltageV { get; init; } = 207;

    /// <inheritdoc cref="MinGridVoltageV"/>
    [Range(0.0, 500.0)]
    public double MaxGridVoltageV { get; init; } = 253;

    private static readonly RulesSettings RulesDefaults = new();

    /// <summary>Strategy = Rules: below this state of charge it charges at once, %.</summary>
    [Range(0.0, 100.0)]
    public double RulesEmergencySocPct { get; init; } = RulesDefaults.EmergencySocPct;

    /// <summary>Strategy = Rules: below this it charges unless waiting is clearly cheaper (smart critical charging), %.</summary>
    [Range(0.0, 100.0)]
    public double RulesCriticalSocPct { get; init; } = RulesDefaults.CriticalSocPct;

    /// <summary>Strategy = Rules: below this it charges when the price is near the cheapest of the next 12 h, %.</summary>
    [Range(0.0, 100.0)]
    public double RulesOpportunisticSocPct { get; init; } = RulesDefaults.OpportunisticSocPct;

    /// <summary>Strategy = Rules: a charge started or stopped stands at least this long (flip-flop protection).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "12:00:00")]
    public TimeSpan RulesFlipFlop { get; init; } = RulesDefaults.FlipFlop;

    /// <summary>Strategy = Rules: charging stops here outside a normal-tier session, %.</summary>
    [Range(0.0, 100.0)]
    public double RulesStopSocPct { get; init; } = RulesDefaults.StopSocPct;

    /// <summary>Strategy = Rules: a price above this stops charging (the adaptive value once there is history), per kWh.</summary>
    [Range(-100.0, 100.0)]
    public double RulesHighPricePerKwh { get; init; } = RulesDefaults.HighPricePerKwh;

    /// <summary>Strategy = Rules: the critical tier charges at once at or below this (the adaptive value once there is history), per kWh.</summary>
    [Range(-100.0, 100.0)]
    public double RulesCriticalPricePerKwh { get; init; } = RulesDefaults.CriticalPricePerKwh;

    /// <summary>Strategy = Rules: in the critical tier above 10 %, a price above this waits for a drop of 30 % within 2 h, per kWh.</summary>
    [Range(-100.0, 100.0)]
    public double RulesCriticalWaitAbovePerKwh { get; init; } = RulesDefaults.CriticalWaitAbovePerKwh;

    /// <summary>Strategy = Rules: the most hours the critical tier waits for a cheaper price (before its multipliers).</summary>
    [Range(0.0, 24.0)]
    public double RulesMaxWaitHours { get; init; } = RulesDefaults.MaxWaitHours;

    /// <summary>Strategy = Rules: the opportunistic tier charges at up to this times the cheapest of the next 12 h.</summary>
    [Range(1.0, 10.0)]
    public double RulesOpportunisticTolerance { get; init; } = RulesDefaults.OpportunisticTolerance;

    /// <summary>Strategy = Rules: the same within an off-peak window (<see cref="RulesOffPeakHours"/>).</summary>
    [Range(1.0, 10.0)]
    public double RulesOffPeakTolerance { get; init; } = RulesDefaults.OffPeakTolerance;

    /// <summary>
    /// Strategy = Rules: the tariff's off-peak (T2) windows in local time, e.g. <c>13:00-15:00, 22:00-06:00</c> (Poland's
    /// G12); within one the opportunistic tier is more tolerant and charges before the window ends. Empty = none.
    /// </summary>
    public string RulesOffPeakHours { get; init; } = "";

    /// <summary>Strategy = Rules: the pre-peak rule charges at or below this when the evening peak is dearer, per kWh.</summary>
    [Range(-100.0, 100.0)]
    public double RulesPrePeakMaxPerKwh { get; init; } = RulesDefaults.PrePeakMaxPerKwh;

    /// <summary>Strategy = Rules: the pre-peak rule needs at least this state of charge, %.</summary>
    [Range(0.0, 100.0)]
    public double RulesPrePeakMinSocPct { get; init; } = RulesDefaults.PrePeakMinSocPct;

    /// <summary>Strategy = Rules: the evening peak the pre-peak rule looks at, first hour (local).</summary>
    [Range(1, 23)]
    public int RulesEveningPeakFromHour { get; init; } = RulesDefaults.EveningPeakFromHour;

    /// <summary>Strategy = Rules: the evening peak's last hour, inclusive.</summary>
    [Range(0, 23)]
    public int RulesEveningPeakToHour { get; init; } = RulesDefaults.EveningPeakToHour;

    /// <summary>Strategy = Rules: the pre-peak rule charges when the evening's mean is above the price now times this.</summary>
    [Range(1.0, 10.0)]
    public double RulesEveningPriceMultiplier { get; init; } = RulesDefaults.EveningPriceMultiplier;

    /// <summary>Strategy = Rules: a normal-tier session does not start at or above this (charging hysteresis), %.</summary>
    [Range(0.0, 100.0)]
    public double RulesNormalStartSocPct { get; init; } = RulesDefaults.NormalStartSocPct;

    /// <summary>Strategy = Rules: a normal-tier session charges to this, %.</summary>
    [Range(0.0, 100.0)]
    public double RulesSessionTargetSocPct { get; init; } = RulesDefaults.SessionTargetSocPct;

    /// <summary>Strategy = Rules: normal-tier sessions a day.</summary>
    [Range(0, 48)]
    public int RulesMaxSessionsPerDay { get; init; } = RulesDefaults.MaxSessionsPerDay;

    /// <summary>Strategy = Rules: a new session needs the battery this far below where the last one ended, %.</summary>
    [Range(0.0, 100.0)]
    public double RulesMinDischargeDepthPct { get; init; } = RulesDefaults.MinDischargeDepthPct;

    /// <summary>Strategy = Rules: the adaptive high price is the history's median times this (and the season's).</summary>
    [Range(0.0, 10.0)]
    public double RulesHighPriceMultiplier { get; init; } = RulesDefaults.HighPriceMultiplier;

    /// <summary>Strategy = Rules: the adaptive critical price is the history's median times this (and the season's).</summary>
    [Range(0.0, 10.0)]
    public double RulesCriticalPriceMultiplier { get; init; } = RulesDefaults.CriticalPriceMultiplier;

    /// <summary>Strategy = Rules: the adaptive thresholds' multiplier from November to February.</summary>
    [Range(0.0, 10.0)]
    public double RulesWinterMultiplier { get; init; } = RulesDefaults.WinterMultiplier;

    /// <summary>Strategy = Rules: the adaptive thresholds' multiplier from June to August.</summary>
    [Range(0.0, 10.0)]
    public double RulesSummerMultiplier { get; init; } = RulesDefaults.SummerMultiplier;

    /// <summary>Strategy = Rules: how far back the adaptive thresholds and the normal tier's percentiles look (the price history is kept in the journal).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "14.00:00:00")]
    public TimeSpan RulesAdaptiveLookback { get; init; } = RulesDefaults.AdaptiveLookback;

    /// <summary>Strategy = Rules: the fewest prices in that history for the adaptive thresholds; fewer: the fixed ones.</summary>
    [Range(1, 100_000)]
    public int RulesAdaptiveMinSamples { get; init; } = RulesDefaults.AdaptiveMinSamples;

    /// <summary>The coordinator's settings from the <c>Rules*</c> keys, for a battery of <paramref name="capacityKwh"/>.</summary>
    public RulesSettings Rules(double capacityKwh) => new()
    {
        EmergencySocPct = RulesEmergencySocPct, CriticalSocPct = RulesCriticalSocPct, OpportunisticSocPct = RulesOpportunisticSocPct, FlipFlop = RulesFlipFlop,
        StopSocPct = RulesStopSocPct, HighPricePerKwh = RulesHighPricePerKwh, CriticalPricePerKwh = RulesCriticalPricePerKwh,
        CriticalWaitAbovePerKwh = RulesCriticalWaitAbovePerKwh, MaxWaitHours = RulesMaxWaitHours, OpportunisticTolerance = RulesOpportunisticTolerance,
        OffPeakTolerance = RulesOffPeakTolerance, PrePeakMaxPerKwh = RulesPrePeakMaxPerKwh, PrePeakMinSocPct = RulesPrePeakMinSocPct,
        EveningPeakFromHour = RulesEveningPeakFromHour, EveningPeakToHour = RulesEveningPeakToHour, EveningPriceMultiplier = RulesEveningPriceMultiplier,
        NormalStartSocPct = RulesNormalStartSocPct, SessionTargetSocPct = RulesSessionTargetSocPct, MaxSessionsPerDay = RulesMaxSessionsPerDay,
        MinDischargeDepthPct = RulesMinDischargeDepthPct, HighPriceMultiplier = RulesHighPriceMultiplier, CriticalPriceMultiplier = RulesCriticalPriceMultiplier,
        WinterMultiplier = RulesWinterMultiplier, SummerMultiplier = RulesSummerMultiplier, AdaptiveLookback = RulesAdaptiveLookback,
        AdaptiveMinSamples = RulesAdaptiveMinSamples, CapacityKwh = capacityKwh,
    };

    /// <summary>The parsed <see cref="RulesOffPeakHours"/> (empty when unset or not understood: validation says which).</summary>
    public OffPeakWindows OffPeak => OffPeakWindows.TryParse(RulesOffPeakHours, out var windows, out _) ? windows : OffPeakWindows.None;

    /// <summary>The parsed <see cref="TargetSocAt"/>, or null.</summary>
    public (TimeOnly At, double SocPct)? Target => ParseTarget(TargetSocAt, out var target) ? target : null;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TargetSocAt.Trim().Length > 0 && !ParseTarget(TargetSocAt, out _))
        {
            yield return new ValidationResult($"TargetSocAt '{TargetSocAt}' is not HH:mm and a percentage, e.g. 07:00 80", [nameof(TargetSocAt)]);
        }
        if (Latitude.HasValue != Longitude.HasValue)
        {
            yield return new ValidationResult($"Latitude and Longitude are set together (or neither, for the time zone's city): only {(Latitude.HasValue ? nameof(Latitude) : nameof(Longitude))} is set",
                [Latitude.HasValue ? nameof(Longitude) : nameof(Latitude)]);
        }
        if (!OffPeakWindows.TryParse(RulesOffPeakHours, out _, out var offPeakProblem))
        {
            yield return new ValidationResult($"RulesOffPeakHours '{RulesOffPeakHours}': {offPeakProblem}", [nameof(RulesOffPeakHours)]);
        }
        if (RulesEveningPeakFromHour > RulesEveningPeakToHour)
        {
            yield return new ValidationResult($"RulesEveningPeakFromHour {RulesEveningPeakFromHour} must not be after RulesEveningPeakToHour {RulesEveningPeakToHour}",
                [nameof(RulesEveningPeakFromHour)]);
        }
        if (ReserveSocPct >= MaxSocPct)
        {
            yield return new ValidationResult($"ReserveSocPct {ReserveSocPct} must be below MaxSocPct {MaxSocPct}", [nameof(ReserveSocPct)]);
        }
    }

    private static bool ParseTarget(string text, out (TimeOnly At, double SocPct) target)
    {
        target = default;
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            || !double.TryParse(parts[1].TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var pct) || pct is < 0 or > 100)
        {
            return false;
        }
        target = (at, pct);
        return true;
    }
}
