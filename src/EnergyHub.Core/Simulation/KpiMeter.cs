using System.Globalization;
using EnergyHub.Devices;
using EnergyHub.Readings;
using EnergyHub.Site;

namespace EnergyHub.Core.Simulation;

/// <summary>
/// Integrates KPIs from what the devices report, step by step, the way a real site would be measured: PV from the
/// inverters, import and export from the grid meter, battery throughput from the battery, prices from the price
/// source, consumers from their readings. Also gathers buckets of <paramref name="bucket"/> for the <see cref="Oracle"/>.
/// </summary>
public sealed class KpiMeter(IReadOnlyCollection<(string Id, IDevice Device)> devices, double feedInThresholdPerKwh, TimeSpan bucket)
{
    private readonly Dictionary<string, double> _consumerMaxW = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (double FromPv, double FromGrid)> _consumers = [];
    private readonly Dictionary<string, (bool On, double? AllowanceW, int Cycles, int Changes)> _switching = [];
    private readonly Dictionary<string, int> _phases = [];
    private readonly Dictionary<string, int> _phaseSwitches = [];
    private readonly List<OracleBucket> _buckets = [];
    private int _limitWritesCostly;
    private double _costlyHours;
    private double? _feedInNow;
    private double _pv, _curtailed, _unavoidable, _import, _export, _exportBelow, _cost, _revenue, _throughput;
    private string _currency = "";

    /// <summary>Sums per bucket for the oracle.</summary>
    public IReadOnlyList<OracleBucket> Buckets => _buckets;

    /// <summary>The controlled consumers seen, each with the most it drew, for the oracle.</summary>
    public IReadOnlyList<OracleConsumer> Consumers => _consumerMaxW.Select(c => new OracleConsumer(c.Key, c.Value)).ToList();

    /// <summary>The battery state of charge seen first, %, for the oracle's start.</summary>
    public double? FirstSocPct { get; private set; }

    /// <summary>The battery state of charge seen last, %: where the run ended.</summary>
    public double? LastSocPct { get; private set; }

    /// <summary>
    /// Counts a limit written to an inverter (active power or export limit); those written while export is costly are the
    /// ones a flapping guard multiplies, and they wear the inverter's non-volatile memory.
    /// </summary>
    public void LimitWritten()
    {
        if (_feedInNow < feedInThresholdPerKwh)
        {
            _limitWritesCostly++;
        }
    }

    /// <summary>Adds <paramref name="dt"/> of the site as <paramref name="site"/> shows it; returns the step for a timeline.</summary>
    public KpiStep Add(SiteSnapshot site, TimeSpan dt)
    {
        double pv = 0, curtailed = 0, grid = 0, battery = 0, soc = double.NaN, chargeLimitW = 0, limitPct = double.NaN, ratedW = 0;
        double? importPrice = null, feedInPrice = null;
        var consumers = new List<(string Id, double W, bool Available)>();
        foreach (var (id, device) in devices)
        {
            var reading = site.Devices[id].Reading;
            if (reading is null)
            {
                continue;
            }
            if (device is IInverter && reading.Inverter is { } inverter)
            {
                pv += inverter.AcPowerW;
                curtailed += inverter.CurtailedPowerW ?? 0;
                ratedW += ((IInverter)device).RatedPowerW is > 0 and var rated ? rated : double.PositiveInfinity;
                limitPct = inverter.ActivePowerLimitPct ?? limitPct;
            }
            if (device is IMeter { Role: MeterRole.Grid } && reading.Meter is { } meter)
            {
                grid += meter.PowerW;
            }
            if (device is IBattery batteryDevice && reading.Battery is { } b)
            {
                battery += b.PowerW;
                soc = b.SocPct;
                chargeLimitW += b.ChargeLimitW ?? (b.SocPct < (batteryDevice.SocLimitsPct?.MaxPct ?? 100) - 0.5 ? batteryDevice.MaxChargeW ?? 0 : 0);
            }
            if (device is IPriceSource && reading.Prices?.At(site.Now) is { } price)
            {
                (importPrice, feedInPrice, _currency) = (price.ImportPerKwh, price.FeedInPerKwh, reading.Prices.Currency);
            }
            if (device is IEvCharger && reading.Charger is { Phases: > 0 } charger)
            {
                _phaseSwitches[id] = _phaseSwitches.GetValueOrDefault(id) + (_phases.TryGetValue(id, out var phases) && phases != charger.Phases ? 1 : 0);
                _phases[id] = charger.Phases;
            }
            if (device is IConsumer && reading.Consumer is { } consumer)
            {
                // An EV charger can draw only while a car is plugged in and takes charge; anything else whenever it is told.
                var available = consumer.PowerW > 0 || device is not IEvCharger || reading.Charger?.Car is null or EvCarState.Connected or EvCarState.Charging;
                consumers.Add((id, consumer.PowerW, available));
                _consumerMaxW[id] = Math.Max(_consumerMaxW.GetValueOrDefault(id), consumer.PowerW);
                var (on, allowance, cycles, changes) = _switching.GetValueOrDefault(id);
                _switching[id] = (consumer.IsOn, consumer.AllowanceW,
                    cycles + (consumer.IsOn && !on ? 1 : 0), changes + (_switching.ContainsKey(id) && consumer.AllowanceW != allowance ? 1 : 0));
            }
        }
        FirstSocPct ??= double.IsNaN(soc) ? null : soc;
        LastSocPct = double.IsNaN(soc) ? LastSocPct : soc;

        var hours = dt.TotalHours;
        var import = Math.Max(0, grid) * hours / 1000;
        var export = Math.Max(0, -grid) * hours / 1000;
        _pv += pv * hours / 1000;
        _curtailed += curtailed * hours / 1000;
        _import += import;
        _export += export;
        _throughput += Math.Abs(battery) * hours / 1000;
        _cost += import * (importPrice ?? 0);
        _revenue += export * (feedInPrice ?? 0);
        var load = pv + grid - battery;
        _feedInNow = feedInPrice;
        if (feedInPrice < feedInThresholdPerKwh)
        {
            _costlyHours += hours;
            _exportBelow += export;
            // What no policy could have used: PV beyond the house and what the battery could still take now (its own
            // charge limit when it reports one, otherwise its rated charge power until it is within 0.5 % of full).
            var absorbable = load + Math.Max(chargeLimitW, Math.Max(0, battery));
            _unavoidable += Math.Min(curtailed, Math.Max(0, pv + curtailed - absorbable)) * hours / 1000; // a part of what was curtailed
        }

        // PV first covers the house, then the controlled consumers, in proportion.
        var consumed = consumers.Sum(c => c.W);
        var pvForConsumers = Math.Clamp(pv - (load - consumed), 0, consumed);
        foreach (var (id, watts, _) in consumers)
        {
            var share = consumed > 0 ? watts / consumed : 0;
            var (fromPv, fromGrid) = _consumers.GetValueOrDefault(id);
            _consumers[id] = (fromPv + pvForConsumers * share * hours / 1000, fromGrid + (watts - pvForConsumers * share) * hours / 1000);
        }

        var bucketStart = new DateTimeOffset(site.Now.UtcTicks - site.Now.UtcTicks % bucket.Ticks, TimeSpan.Zero);
        if (_buckets.Count == 0 || _buckets[^1].Start != bucketStart)
        {
            _buckets.Add(new OracleBucket(bucketStart));
        }
        _buckets[^1].Add(Math.Min(pv + curtailed, Math.Max(pv, ratedW)), load - consumed, importPrice ?? 0, feedInPrice ?? 0, hours);
        foreach (var (id, watts, available) in consumers)
        {
            _buckets[^1].AddConsumer(id, watts, available, hours);
        }
        return new KpiStep(pv, curtailed, grid, battery, soc, load, consumed, limitPct, importPrice ?? double.NaN, feedInPrice ?? double.NaN);
    }

    /// <summary>The KPIs so far.</summary>
    public SimulationKpis Result(int commandsSent, double? batteryCapacityWh) => new()
    {
        PvProducedKwh = _pv,
        PvCurtailedKwh = _curtailed,
        UnavoidableCurtailmentKwh = _unavoidable,
        GridImportKwh = _import,
        GridExportKwh = _export,
        ExportBelowThresholdKwh = _exportBelow,
        ImportCost = _cost,
        FeedInRevenue = _revenue,
        SelfConsumptionPct = _pv > 0 ? (_pv - _export) / _pv * 100 : 0,
        BatteryThroughputKwh = _throughput,
        BatteryEquivalentCycles = batteryCapacityWh is > 0 ? _throughput / 2 / (batteryCapacityWh.Value / 1000) : 0,
        Consumers = _consumers.Select(c => new ConsumerEnergy(c.Key, c.Value.FromPv, c.Value.FromGrid)
        {
            SwitchCycles = _switching.GetValueOrDefault(c.Key).Cycles,
            AllowanceChanges = _switching.GetValueOrDefault(c.Key).Changes,
            PhaseSwitches = _phaseSwitches.GetValueOrDefault(c.Key),
        }).ToList(),
        CommandsSent = commandsSent,
        LimitWritesWhileCostly = _limitWritesCostly,
        CostlyHours = _costlyHours,
        Currency = _currency,
    };
}

/// <summary>One step of a replay as the devices reported it (W, %, price per kWh; NaN where nothing reported it).</summary>
/// <remarks><see cref="ControlledW"/> is what the controlled consumers (EV chargers, relays) drew, a part of <see cref="LoadW"/>.</remarks>
public readonly record struct KpiStep(double PvW, double CurtailedW, double GridW, double BatteryW, double SocPct, double LoadW, double ControlledW,
    double LimitPct, double ImportPerKwh, double FeedInPerKwh)
{
    /// <summary>The CSV header matching <see cref="ToCsv"/>.</summary>
    public const string CsvHeader = "time_utc,pv_w,curtailed_w,grid_w,battery_w,soc_pct,load_w,controlled_w,limit_pct,import_per_kwh,feed_in_per_kwh";

    /// <summary>One CSV line for the step at <paramref name="time"/>.</summary>
    public string ToCsv(DateTimeOffset time) => string.Create(CultureInfo.InvariantCulture,
        $"{time:yyyy-MM-ddTHH:mm:ssZ},{PvW:0.#},{CurtailedW:0.#},{GridW:0.#},{BatteryW:0.#},{SocPct:0.##},{LoadW:0.#},{ControlledW:0.#},{LimitPct:0.#},{ImportPerKwh:0.#####},{FeedInPerKwh:0.#####}");
}
