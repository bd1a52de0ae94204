namespace EnergyHub.Readings;

/// <summary>
/// Everything one poll of a device returned, at one instant. A device fills the parts it knows:
/// a hybrid inverter may report <see cref="Inverter"/>, <see cref="Battery"/> and <see cref="Meter"/> at once.
/// Units and signs follow <see cref="Conventions"/>.
/// </summary>
public sealed record DeviceReading
{
    /// <summary>When the values were measured (UTC); the age of the reading is measured from here.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>PV and AC output of an inverter.</summary>
    public InverterReading? Inverter { get; init; }

    /// <summary>A meter's power and energy counters.</summary>
    public MeterReading? Meter { get; init; }

    /// <summary>The household load (+ consumed), for devices that measure it besides the grid (battery systems, hybrids).</summary>
    public MeterReading? Load { get; init; }

    /// <summary>A battery's state of charge and power.</summary>
    public BatteryReading? Battery { get; init; }

    /// <summary>A controllable consumer's consumption and state.</summary>
    public ConsumerReading? Consumer { get; init; }

    /// <summary>An EV charger's car state, current, phases and session energy.</summary>
    public EvChargerReading? Charger { get; init; }

    /// <summary>A plain sensor's values (temperature, humidity).</summary>
    public SensorReading? Sensor { get; init; }

    /// <summary>Prices known to a price source.</summary>
    public PriceSeries? Prices { get; init; }

    /// <summary>
    /// What the device or API returned for this reading, verbatim (a JSON body, say), for diagnosis; drivers of cloud
    /// APIs fill it, others may leave it null.
    /// </summary>
    public string? RawPayload { get; init; }
}
