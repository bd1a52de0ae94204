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
