using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;

namespace EnergyHub.Plugins.Simulator.Site;

/// <summary>The keys of the <c>Driver = sim-site</c> device: the physics every other sim device reads and commands.</summary>
public sealed class SiteOptions : DeviceOptions, IValidatableObject
{
    /// <summary>PV peak power, kWp; the real PV profile is scaled to it.</summary>
    [Range(0.0, 1000.0)]
    public double PvKwp { get; init; } = 7;

    /// <summary>Household consumption per year, kWh; the real load profile is scaled to it.</summary>
    [Range(0.0, 1_000_000.0)]
    public double AnnualLoadKwh { get; init; } = 4500;

    /// <summary>Rated AC power of the PV inverter (100 % of its limit), W.</summary>
    [Range(100.0, 1_000_000.0)]
    public double InverterRatedW { get; init; } = 6000;

    /// <summary>How long the inverter takes to start following a new power limit.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan InverterResponseDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How fast the inverter's output limit moves once it follows, % of rated per second; 0 = at once.</summary>
    [Range(0.0, 100.0)]
    public double InverterRampPctPerSecond { get; init; } = 10;

    /// <summary>Usable battery capacity, Wh; 0 = no battery.</summary>
    [Range(0.0, 1_000_000.0)]
    public double BatteryCapacityWh { get; init; } = 10_000;

    /// <summary>Most the battery charges with, W (AC side).</summary>
    [Range(0.0, 100_000.0)]
    public double BatteryMaxChargeW { get; init; } = 5000;

    /// <summary>Most the battery discharges with, W (AC side).</summary>
    [Range(0.0, 100_000.0)]
    public double BatteryMaxDischargeW { get; init; } = 5000;

    /// <summary>Round-trip efficiency, %.</summary>
    [Range(50.0, 100.0)]
    public double BatteryEfficiencyPct { get; init; } = 90;

    /// <summary>The battery never goes below this state of charge, %.</summary>
    [Range(0.0, 100.0)]
    public double BatteryMinSocPct { get; init; } = 10;

    /// <summary>The battery never goes above this state of charge, %; charge power tapers over the last 10 %.</summary>
    [Range(0.0, 100.0)]
    public double BatteryMaxSocPct { get; init; } = 100;

    /// <summary>State of charge at the start, %.</summary>
    [Range(0.0, 100.0)]
    public double BatteryInitialSocPct { get; init; } = 50;

    /// <summary>The EV's battery, Wh; 0 = no EV.</summary>
    [Range(0.0, 500_000.0)]
    public double EvCapacityWh { get; init; } = 60_000;

    /// <summary>The EV's state of charge at the start, %.</summary>
    [Range(0.0, 100.0)]
    public double EvInitialSocPct { get; init; } = 40;

    /// <summary>Phases the wallbox charges on: 1 or 3 (230 V each).</summary>
    [Range(1, 3)]
    public int WallboxPhases { get; init; } = 3;

    /// <summary>Power of the on/off consumer behind the relay (a heater, a pump), W.</summary>
    [Range(0.0, 100_000.0)]
    public double RelayLoadW { get; init; } = 2000;

    /// <summary>Which recorded Amber forecast gives the prices: scenario1 … scenario5 (scenario5 has a negative midday feed-in).</summary>
    public string PriceSnapshot { get; init; } = "scenario5";

    /// <summary>
    /// A CSV of prices for the local day instead of the snapshot: header <c>local_time,import_per_kwh,feed_in_per_kwh</c>,
    /// then rows from <c>00:00</c> in time order (<c>HH:mm</c>); each row holds until the next. Relative to the config file.
    /// </summary>
    public string PriceFile { get; init; } = "";

    /// <summary>
    /// An hourly CSV of a grid's solar output and day-ahead price (<c>datetime_utc,solar_mw_avg,day_ahead_price_eur_mwh</c>,
    /// e.g. a year of Germany's) instead of the repeated day: PV follows its solar curve scaled to
    /// <see cref="PvKwhPerKwp"/>, prices are its spot price (+ <see cref="ImportFeePerKwh"/> for import), published a day
    /// ahead at 13:00 local time. Relative to the config file.
    /// </summary>
    public string SeriesFile { get; init; } = "";

    /// <summary>With a <see cref="SeriesFile"/>: the PV's yield per year and kWp, kWh.</summary>
    [Range(0.0, 3000.0)]
    public double PvKwhPerKwp { get; init; } = 950;

    /// <summary>With a <see cref="SeriesFile"/>: what import costs above the spot price (grid fees, taxes), per kWh.</summary>
    [Range(-10.0, 10.0)]
    public double ImportFeePerKwh { get; init; } = 0.20;

    /// <summary>
    /// What the car uses driving each day, kWh, taken from it at local midnight (the simulated car never leaves the
    /// wallbox, so a year of it would otherwise be full after its first sunny week); 0 = it never drives.
    /// </summary>
    [Range(0.0, 1000.0)]
    public double EvDriveKwhPerDay { get; init; }

    /// <summary>The currency the prices are in.</summary>
    public string PriceCurrency { get; init; } = "AUD";

    /// <summary>
    /// A fixed offset from UTC, hours, for the site's local time of day (which profiles and prices follow). Unset: the
    /// site's <c>[Common] TimeZone</c>, daylight saving included; when that is unset too, UTC+10 (where the recorded
    /// profiles and prices come from).
    /// </summary>
    [Range(-12.0, 14.0)]
    public double? UtcOffsetHours { get; init; }

    /// <summary>Standard deviation of measurement noise on meter readings, W; 0 = exact.</summary>
    [Range(0.0, 10_000.0)]
    public double NoiseW { get; init; }

    /// <summary>How late readings are: a device reports the site as it was this long ago.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MeasurementDelay { get; init; }

    /// <summary>Seed of the noise.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The physics' integration step.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00")]
    public TimeSpan Step { get; init; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SeriesFile.Length > 0 && PriceFile.Length > 0)
        {
            yield return new ValidationResult("SeriesFile brings its own prices: leave PriceFile empty", [nameof(PriceFile)]);
        }
        if (BatteryMinSocPct >= BatteryMaxSocPct)
        {
            yield return new ValidationResult($"BatteryMinSocPct ({BatteryMinSocPct}) must be below BatteryMaxSocPct ({BatteryMaxSocPct})", [nameof(BatteryMinSocPct)]);
        }
    }
}
