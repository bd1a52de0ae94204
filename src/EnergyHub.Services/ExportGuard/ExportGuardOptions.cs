using System.ComponentModel.DataAnnotations;
using EnergyHub.Commands;
using EnergyHub.Devices;
using EnergyHub.Options;

namespace EnergyHub.Services.ExportGuard;

/// <summary>How the export guard limits the inverter (<see cref="ExportGuardOptions.LimitBy"/>).</summary>
public enum ExportLimitMethod
{
    /// <summary>The inverter's grid export limit where it has one, else its active power limit.</summary>
    Auto,
    /// <summary>The inverter's grid export limit (<see cref="IExportLimiter"/>); the power limit, with a warning, where it has none.</summary>
    ExportLimit,
    /// <summary>The active power limit, followed by the guard's own loop.</summary>
    PowerLimit,
}

/// <summary>The <c>[ExportGuard]</c> section.</summary>
public sealed class ExportGuardOptions : ServiceOptions, IValidatableObject
{
    /// <summary>
    /// The PV inverter to limit; the guard owns its active power limit and, where it has one, its grid export limit
    /// (another service may only cap either lower).
    /// </summary>
    [Required]
    [DeviceRef(typeof(IInverter), Commands = [typeof(SetActivePowerLimit)], OptionalCommands = [typeof(SetExportLimit)])]
    public string Inverter { get; init; } = "";

    /// <summary>
    /// How the guard limits: Auto uses the inverter's own grid export limit where it has one (it holds export at 0 W on its
    /// own meter within a second, and is written only when exporting turns costly or stops being so), else the active
    /// power limit, which the guard's own loop follows on late telemetry.
    /// </summary>
    public ExportLimitMethod LimitBy { get; init; } = ExportLimitMethod.Auto;

    /// <summary>
    /// The most ordinary writes of the active power limit in any hour (fail-safe and start or end of limiting are not
    /// counted). Writes that cut a costly export may follow each other after <see cref="MinWriteInterval"/>; those that
    /// give curtailed PV back wait an hour's share each. Many inverters keep the limit in non-volatile memory rated for
    /// about 100 000 writes: 12 an hour of daylight last decades, one every few seconds wears it out within months.
    /// </summary>
    [Range(1, 3600)]
    public int MaxWritesPerHour { get; init; } = 12;

    /// <summary>The battery whose charging absorbs PV.</summary>
    [Required]
    [DeviceRef(typeof(IBattery))]
    public string Battery { get; init; } = "";

    /// <summary>The grid meter (+ import, − export); may be the battery system itself.</summary>
    [Required]
    [DeviceRef(typeof(IMeter))]
    public string GridMeter { get; init; } = "";

    /// <summary>The price source; its feed-in price is what the owner is paid.</summary>
    [Required]
    [DeviceRef(typeof(IPriceSource))]
    public string Prices { get; init; } = "";

    /// <summary>
    /// Overrides the rated AC power the inverter reports (100 % of the limit), W; unset = the inverter's own. Only with
    /// <see cref="RatedPowerReason"/>.
    /// </summary>
    [Range(100.0, 1_000_000.0)]
    public double? RatedPowerW { get; init; }

    /// <summary>Why <see cref="RatedPowerW"/> differs from what the inverter reports (logged at start).</summary>
    public string RatedPowerReason { get; init; } = "";

    /// <summary>Exporting is costly while the feed-in price (paid to the owner) is below this, per kWh.</summary>
    public double ThresholdPerKwh { get; init; }

    /// <summary>Prices older than this count as unknown, and export is then assumed costly.</summary>
    [MaxAgeOf(nameof(Prices))]
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan PricesStaleAfter { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Battery or meter data older than this while export is costly means 0 % (fail-safe).</summary>
    [MaxAgeOf(nameof(Battery), nameof(GridMeter), nameof(Inverter))]
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// The share of the error corrected per sample (the feed-forward alone would correct all of it), below 1 as the
    /// telemetry is late; export is corrected with twice this (at most all of it).
    /// </summary>
    [Range(0.0, 2.0)]
    public double Kp { get; init; } = 0.5;

    /// <summary>Integral gain, per second of a 10 s sample: the integral grows by Ki × 10 s × error per new sample, however late it is.</summary>
    [Range(0.0, 1.0)]
    public double Ki { get; init; } = 0.02;

    /// <summary>Grid errors smaller than this are not integrated, W.</summary>
    [Range(0.0, 5000.0)]
    public double DeadbandW { get; init; } = 50;

    /// <summary>Aim for this small import instead of zero, so noise never tips into export, W.</summary>
    [Range(0.0, 5000.0)]
    public double ImportBiasW { get; init; } = 50;

    /// <summary>Room left for the battery to charge when it is not charging yet, W.</summary>
    [Range(0.0, 100_000.0)]
    public double AutoChargeW { get; init; } = 1500;

    /// <summary>The most headroom offered to the battery beyond what it is taking, W.</summary>
    [Range(0.0, 100_000.0)]
    public double AutoChargeMaxW { get; init; } = 3000;

    /// <summary>Leave charging room only below this state of charge, %.</summary>
    [Range(0.0, 100.0)]
    public double AutoChargeBelowSocPct { get; init; } = 99.5;

    /// <summary>Each tick without export while the battery could take more, offer it this much more, W (0 = off).</summary>
    [Range(0.0, 10_000.0)]
    public double ChargeProbeStepW { get; init; } = 100;

    /// <summary>New limit = previous × smoothing + target × (1 − smoothing); fail-safe targets skip it.</summary>
    [Range(0.0, 0.95)]
    public double LimitSmoothing { get; init; } = 0.2;

    /// <summary>Changes smaller than this are not written, %.</summary>
    [Range(0.0, 50.0)]
    public double MinPctStep { get; init; } = 1;

    /// <summary>
    /// Which raw API payloads of the price source and the battery each decision event carries: always, on_change (only
    /// when the payload differs from the one last stored) or never.
    /// </summary>
    [AllowedValues("always", "on_change", "never", ErrorMessage = "always, on_change or never")]
    public string RawPayloads { get; init; } = "on_change";

    /// <summary>Shortest time between two ordinary writes; fail-safe and state changes skip it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MinWriteInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RatedPowerW is not null && string.IsNullOrWhiteSpace(RatedPowerReason))
        {
            yield return new ValidationResult(
                "RatedPowerW overrides the inverter's own rated power and needs RatedPowerReason saying why; remove RatedPowerW to use the inverter's",
                [nameof(RatedPowerW)]);
        }
    }
}
