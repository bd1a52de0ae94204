using System.ComponentModel.DataAnnotations;
using EnergyHub.Commands;
using EnergyHub.Devices;
using EnergyHub.Options;

namespace EnergyHub.Services.AxpertCharger;

/// <summary>Lead-acid chemistries the charger service knows limits for.</summary>
public enum LeadAcidType
{
    /// <summary>Flooded (wet) cells: absorption up to 2.50 V per cell.</summary>
    Flooded,

    /// <summary>AGM: absorption up to 2.45 V per cell.</summary>
    Agm,

    /// <summary>Gel: absorption up to 2.40 V per cell.</summary>
    Gel,
}

/// <summary>The <c>[AxpertCharger]</c> section: voltages are for the whole bank at 25 °C.</summary>
public sealed class AxpertChargerOptions : ServiceOptions, IValidatableObject
{
    /// <summary>The battery system whose float voltage the service moves (an <c>axpert</c> device); the service owns its float voltage.</summary>
    [Required]
    [DeviceRef(typeof(IBattery), Commands = [typeof(SetFloatVoltage)])]
    public string Battery { get; init; } = "";

    /// <summary>Chemistry of the bank; it bounds the voltages below.</summary>
    public LeadAcidType BatteryType { get; init; } = LeadAcidType.Flooded;

    /// <summary>Nominal bank voltage: 12, 24 or 48 V (2 V per cell).</summary>
    [Range(12.0, 48.0)]
    public double NominalVoltageV { get; init; } = 48;

    /// <summary>Absorption (bulk / C.V.) voltage, V.</summary>
    [Range(10.0, 70.0)]
    public double AbsorptionVoltageV { get; init; } = 58.4;

    /// <summary>The real float voltage, set once absorption has ended and on stop, V.</summary>
    [Range(10.0, 70.0)]
    public double FloatVoltageV { get; init; } = 52.8;

    /// <summary>Absorption ends when the averaged charge current falls below this, A.</summary>
    [Range(0.1, 500.0)]
    public double EndCurrentA { get; init; } = 6.4;

    /// <summary>Absorption ends after this long even if the current never tapers.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "12:00:00")]
    public TimeSpan MaxAbsorptionTime { get; init; } = TimeSpan.FromHours(4);

    /// <summary>After absorption, an averaged voltage below this starts a new bulk charge, V.</summary>
    [Range(10.0, 70.0)]
    public double ReBulkVoltageV { get; init; } = 50.0;

    /// <summary>Absorption counts as reached when the averaged voltage is within this of the absorption voltage, V.</summary>
    [Range(0.05, 2.0)]
    public double AbsorptionMarginV { get; init; } = 0.3;

    /// <summary>Charge current and voltage are averaged over this window before any decision.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan AverageWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Temperature compensation, mV per °C per cell (0 = off); colder batteries get higher voltages.</summary>
    [Range(0.0, 10.0)]
    public double TempCompMvPerCPerCell { get; init; }

    /// <summary>Battery readings older than this restore the real float voltage (fail-safe).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Cells in series: two volts each.</summary>
    public int Cells => (int)Math.Round(NominalVoltageV / 2);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (NominalVoltageV is not (12 or 24 or 48))
        {
            yield return new ValidationResult($"{NominalVoltageV} V is not a lead-acid bank voltage; use 12, 24 or 48", [nameof(NominalVoltageV)]);
            yield break;
        }
        var maxAbsorptionPerCell = BatteryType switch { LeadAcidType.Flooded => 2.50, LeadAcidType.Agm => 2.45, _ => 2.40 };
        if (AbsorptionVoltageV / Cells is < 2.25 || AbsorptionVoltageV / Cells > maxAbsorptionPerCell + 1e-9)
        {
            yield return new ValidationResult(
                $"{AbsorptionVoltageV} V is outside {2.25 * Cells:0.0}–{maxAbsorptionPerCell * Cells:0.0} V for a {NominalVoltageV} V {BatteryType} bank",
                [nameof(AbsorptionVoltageV)]);
        }
        if (FloatVoltageV / Cells is < 2.15 or > 2.30 + 1e-9)
        {
            yield return new ValidationResult(
                $"{FloatVoltageV} V is outside {2.15 * Cells:0.0}–{2.30 * Cells:0.0} V for a {NominalVoltageV} V bank", [nameof(FloatVoltageV)]);
        }
        if (FloatVoltageV >= AbsorptionVoltageV)
        {
            yield return new ValidationResult("must be below AbsorptionVoltageV", [nameof(FloatVoltageV)]);
        }
        if (ReBulkVoltageV >= FloatVoltageV)
        {
            yield return new ValidationResult("must be below FloatVoltageV, or the charger would re-bulk while floating", [nameof(ReBulkVoltageV)]);
        }
    }
}
