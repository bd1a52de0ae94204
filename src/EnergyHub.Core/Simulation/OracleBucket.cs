namespace EnergyHub.Core.Simulation;

/// <summary>
/// One bucket of what the site offered during a run, as the devices reported it: PV that could have been produced, the
/// house's own load (without the controlled consumers), prices, and what each controlled consumer drew and for how long
/// it could have drawn (an EV while it is plugged in).
/// </summary>
public sealed class OracleBucket(DateTimeOffset start)
{
    private readonly Dictionary<string, (double DrawnWh, double AvailableHours)> _consumers = new(StringComparer.OrdinalIgnoreCase);
    private double _importPriceHours;
    private double _feedInPriceHours;

    /// <summary>Start of the bucket.</summary>
    public DateTimeOffset Start { get; } = start;

    /// <summary>PV the inverters could have produced (produced + curtailed, at most their rated power), Wh.</summary>
    public double PvAvailableWh { get; private set; }

    /// <summary>The house's own load, without the controlled consumers, Wh.</summary>
    public double HouseLoadWh { get; private set; }

    /// <summary>Length covered so far, h.</summary>
    public double Hours { get; private set; }

    /// <summary>The mean import price over the bucket, per kWh.</summary>
    public double ImportPerKwh => Hours > 0 ? _importPriceHours / Hours : 0;

    /// <summary>The mean feed-in price over the bucket, per kWh.</summary>
    public double FeedInPerKwh => Hours > 0 ? _feedInPriceHours / Hours : 0;

    /// <summary>Per controlled consumer: what it drew, Wh, and the hours it could have drawn.</summary>
    public IReadOnlyDictionary<string, (double DrawnWh, double AvailableHours)> Consumers => _consumers;

    /// <summary>Adds <paramref name="hours"/> of the site at these powers (W) and prices.</summary>
    public void Add(double pvAvailableW, double houseLoadW, double importPerKwh, double feedInPerKwh, double hours)
    {
        PvAvailableWh += pvAvailableW * hours;
        HouseLoadWh += houseLoadW * hours;
        _importPriceHours += importPerKwh * hours;
        _feedInPriceHours += feedInPerKwh * hours;
        Hours += hours;
    }

    /// <summary>Adds what a controlled consumer drew over <paramref name="hours"/>, and whether it could draw at all then.</summary>
    public void AddConsumer(string id, double drawnW, bool available, double hours)
    {
        var (drawn, availableHours) = _consumers.GetValueOrDefault(id);
        _consumers[id] = (drawn + drawnW * hours, availableHours + (available ? hours : 0));
    }
}
