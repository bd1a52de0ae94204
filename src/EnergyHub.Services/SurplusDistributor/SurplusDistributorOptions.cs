using System.ComponentModel.DataAnnotations;
using EnergyHub.Devices;
using EnergyHub.Options;

namespace EnergyHub.Services.SurplusDistributor;

/// <summary>The <c>[SurplusDistributor]</c> section, with one <c>[SurplusDistributor:&lt;device&gt;]</c> per device consumer.</summary>
public sealed class SurplusDistributorOptions : ServiceOptions, IValidatableObject
{
    /// <summary>The grid meter (+ import, − export).</summary>
    [Required]
    [DeviceRef(typeof(IMeter))]
    public string GridMeter { get; init; } = "";

    /// <summary>The home battery whose charge power counts as surplus and which keeps its reservation; empty = none.</summary>
    [DeviceRef(typeof(IBattery))]
    public string Battery { get; init; } = "";

    /// <summary>The prices a consumer's <see cref="SurplusDeviceOptions.MaxFeedInPerKwh"/> is checked against; empty = none.</summary>
    [DeviceRef(typeof(IPriceSource))]
    public string Prices { get; init; } = "";

    /// <summary>A price reading older than this counts as missing: every consumer then takes any surplus.</summary>
    [MaxAgeOf(nameof(Prices))]
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan PricesStaleAfter { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the surplus is handed out; the readings in between are smoothed (their median).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan CycleInterval { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// The battery's reservation by SOC, W: an expression in SOC (es-ESS's MinBatteryCharge syntax: numbers, SOC,
    /// + - * /, parentheses, min, max) or a table SOC:W (0:3000, 80:1500, 95:250, 100:0).
    /// </summary>
    public string Reservation { get; init; } = "(5750/(min(SOC,99)-100)+5750)+250";

    /// <summary>How far the surplus may fall short of an allowance before a step is taken back, W.</summary>
    [Range(0.0, 10_000.0)]
    public double MarginW { get; init; } = 200;

    /// <summary>Moved: a scripted consumer is a <c>Driver = mqtt-scripted-consumer</c> device with its own ConsumptionStaleAfter.</summary>
    public TimeSpan? ConsumerStaleAfter { get; init; }

    /// <summary>The topic level after [Mqtt] TopicPrefix for es-ESS's figures: SolarOverheadDistributor (with TopicPrefix = es-ESS) as es-ESS had it.</summary>
    public string TopicName { get; init; } = "SurplusDistributor";

    /// <summary>The device consumers, from <c>[SurplusDistributor:&lt;device id&gt;]</c> sections.</summary>
    [Subsections(KeysAreDevices = typeof(IDevice), Commands = [typeof(Commands.SetAllowance), typeof(Commands.SetSwitch)])]
    public IReadOnlyDictionary<string, SurplusDeviceOptions> Devices { get; init; } = new Dictionary<string, SurplusDeviceOptions>();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string? problem = null;
        try
        {
            ReservationRule.Parse(Reservation);
        }
        catch (FormatException ex)
        {
            problem = ex.Message;
        }
        if (problem is not null)
        {
            yield return new ValidationResult(problem, [nameof(Reservation)]);
        }
        if (ConsumerStaleAfter is not null)
        {
            yield return new ValidationResult("scripted consumers are devices now: remove ConsumerStaleAfter here and give each script a [Device:KEY] with " +
                "Driver = mqtt-scripted-consumer (its ConsumptionStaleAfter) and a [SurplusDistributor:KEY] section", [nameof(ConsumerStaleAfter)]);
        }
        if (Prices.Length == 0 && Devices.FirstOrDefault(d => d.Value.MaxFeedInPerKwh is not null) is { Key: { } capped })
        {
            yield return new ValidationResult($"[{SurplusDistributorService.ServiceName}:{capped}] MaxFeedInPerKwh needs the prices to compare with: set Prices to the price source's device id",
                [nameof(Prices)]);
        }
    }
}

/// <summary>
/// A <c>[SurplusDistributor:&lt;device id&gt;]</c> section: a configured device as a consumer. A switch (a Shelly
/// relay) is all-or-nothing: on once its allowance reaches Request, off at 0. A device that takes an allowance
/// (<c>IConsumer</c>) is given it as it is; what is not set here comes from the profile it reports.
/// </summary>
public sealed class SurplusDeviceOptions
{
    /// <summary>What it draws when on (a switch: required), or the most it can use, W; unset = its profile's.</summary>
    [Range(1.0, 100_000.0)]
    public double? Request { get; init; }

    /// <summary>Lower is served first; unset = its profile's, else 50.</summary>
    [Range(0.0, 1000.0)]
    public double? Priority { get; init; }

    /// <summary>What each grant after the first adds, W; unset = its profile's, else Request (a switch always takes its Request).</summary>
    [Range(1.0, 100_000.0)]
    public double? StepSize { get; init; }

    /// <summary>The first grant, W (what it cannot run below); unset = its profile's, else none.</summary>
    [Range(0.0, 100_000.0)]
    public double? Minimum { get; init; }

    /// <summary>Added to its priority after each grant, so others get their turn.</summary>
    [Range(0.0, 1000.0)]
    public double PriorityShift { get; init; }

    /// <summary>May use the battery's reservation too.</summary>
    public bool IgnoreBatReservation { get; init; }

    /// <summary>
    /// It takes surplus only while the feed-in price (from <c>[SurplusDistributor] Prices</c>) is at or below this, per
    /// kWh: above it, exporting the surplus is worth more than what the consumer does with it (a heater whose water can
    /// wait for the hours when exporting pays nothing). Unset = any surplus, whatever exporting pays (es-ESS's rule); no
    /// fresh price = any surplus too.
    /// </summary>
    [Range(-10.0, 10.0)]
    public double? MaxFeedInPerKwh { get; init; }

    /// <summary>Once on, it stays on at least this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MinOnTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Once off, it stays off at least this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MinOffTime { get; init; } = TimeSpan.FromMinutes(5);
}
