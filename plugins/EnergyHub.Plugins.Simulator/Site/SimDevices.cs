using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using EnergyHub.Devices;
using EnergyHub.Options;
using EnergyHub.Readings;

namespace EnergyHub.Plugins.Simulator.Site;

/// <summary>The keys of every sim device but the site itself.</summary>
public sealed class SimDeviceOptions : DeviceOptions
{
    /// <summary>The id of the <c>Driver = sim-site</c> device whose physics this device reads.</summary>
    [Required]
    [DeviceRef(typeof(SimSiteDevice))]
    public string Site { get; init; } = "";
}

/// <summary>The <c>sim-site</c> device: holds the <see cref="SimulatedSite"/> the other sim devices share. Its reading is empty.</summary>
[Simulated]
public sealed class SimSiteDevice(string id, SimulatedSite site, TimeProvider time) : IDevice
{
    /// <inheritdoc />
    public string Id { get; } = id;

    /// <inheritdoc />
    public string DisplayName => $"Simulated site ({Site.Options.PvKwp} kWp, {Site.Options.BatteryCapacityWh / 1000} kWh battery)";

    /// <summary>The physics.</summary>
    public SimulatedSite Site { get; } = site;

    /// <inheritdoc />
    public ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new DeviceReading { Timestamp = Site.Observe(time.GetUtcNow()).Time });

    /// <summary>Creates the site device and makes it findable by the other sim devices of the same host.</summary>
    public static SimSiteDevice Create(SiteOptions options, Plugins.DeviceContext context)
    {
        var prices = options.PriceFile.Length == 0 ? null : Profiles.HalfHourlyPricesFromFile(Path.GetFullPath(options.PriceFile, context.ConfigDirectory));
        var series = options.SeriesFile.Length == 0 ? null
            : HourlySeries.Load(Path.GetFullPath(options.SeriesFile, context.ConfigDirectory), options.PvKwp * options.PvKwhPerKwp, options.ImportFeePerKwh);
        var device = new SimSiteDevice(context.Id, new SimulatedSite(options, context.Time.GetUtcNow(), prices, context.SiteTimeZone, series), context.Time);
        Sites(context.Shared)[context.Id] = device;
        return device;
    }

    /// <summary>The site <paramref name="id"/> among the resources of this configuration.</summary>
    public static SimulatedSite Find(Plugins.ISharedResources shared, string id) =>
        Sites(shared).TryGetValue(id, out var device)
            ? device.Site
            : throw new InvalidOperationException($"no sim-site device '{id}' in this configuration");

    private static System.Collections.Concurrent.ConcurrentDictionary<string, SimSiteDevice> Sites(Plugins.ISharedResources shared) =>
        shared.GetOrAdd("sim-sites", () => new System.Collections.Concurrent.ConcurrentDictionary<string, SimSiteDevice>(StringComparer.OrdinalIgnoreCase));
}

/// <summary>Base of the sim devices: finds its site lazily (the site may be declared after it).</summary>
[Simulated]
public abstract class SimDevice(string id, SimDeviceOptions options, Plugins.DeviceContext context) : IDevice
{
    private SimulatedSite? _site;

    /// <inheritdoc />
    public string Id { get; } = id;

    /// <inheritdoc />
    public abstract string DisplayName { get; }

    /// <summary>The shared physics.</summary>
    protected SimulatedSite Site => _site ??= SimSiteDevice.Find(context.Shared, options.Site);

    /// <summary>The clock.</summary>
    protected TimeProvider Time => context.Time;

    /// <summary>The site now (as late as the measurement delay makes it).</summary>
    protected SiteSample Observe() => Site.Observe(Time.GetUtcNow());

    /// <inheritdoc />
    public ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Read(Observe()));

    /// <summary>This device's view of <paramref name="sample"/>.</summary>
    protected abstract DeviceReading Read(SiteSample sample);
}

/// <summary><c>sim-inverter</c>: the PV inverter; follows active-power and export limits.</summary>
public sealed class SimInverter(string id, SimDeviceOptions options, Plugins.DeviceContext context) : SimDevice(id, options, context), IInverter, IActivePowerLimiter, IExportLimiter, ISafeState
{
    /// <inheritdoc />
    public string SafeStateDescription => "limit lifted (100 %), export cap off";

    /// <inheritdoc />
    public Task EnterSafeStateAsync(CancellationToken cancellationToken)
    {
        Site.SetActivePowerLimit(Time.GetUtcNow(), 100);
        Site.SetExportLimit(Time.GetUtcNow(), null);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override string DisplayName => "Simulated PV inverter";

    /// <inheritdoc />
    public double RatedPowerW => Site.Options.InverterRatedW;

    /// <inheritdoc />
    public Task SetActivePowerLimitAsync(double percent, CancellationToken cancellationToken)
    {
        Site.SetActivePowerLimit(Time.GetUtcNow(), percent);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SetExportLimitAsync(double watts, CancellationToken cancellationToken)
    {
        Site.SetExportLimit(Time.GetUtcNow(), watts);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override DeviceReading Read(SiteSample s) => new()
    {
        Timestamp = s.Time,
        Inverter = new InverterReading(s.PvW, s.PvW) { ActivePowerLimitPct = Math.Round(s.LimitSetpointPct, 3), CurtailedPowerW = s.CurtailedW },
    };
}

/// <summary><c>sim-meter</c>: the grid meter, + import / − export, three phases, with the site's noise.</summary>
public sealed class SimGridMeter : SimDevice, IMeter
{
    private readonly Random _noise;

    /// <summary>Creates the meter.</summary>
    public SimGridMeter(string id, SimDeviceOptions options, Plugins.DeviceContext context) : base(id, options, context) =>
        _noise = new Random(id.Aggregate(17, (h, c) => h * 31 + c));

    /// <inheritdoc />
    public override string DisplayName => "Simulated grid meter";

    /// <inheritdoc />
    public MeterRole Role => MeterRole.Grid;

    /// <inheritdoc />
    protected override DeviceReading Read(SiteSample s)
    {
        var noise = Site.Options.NoiseW > 0 ? Gaussian() * Site.Options.NoiseW : 0;
        var power = s.GridW + noise;
        var phase = new PhaseReading(230, Math.Round(power / 3 / 230, 3), Math.Round(power / 3, 1));
        return new DeviceReading { Timestamp = s.Time, Meter = new MeterReading(Math.Round(power, 1)) { FrequencyHz = 50, Phases = [phase, phase, phase] } };
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _noise.NextDouble())) * Math.Cos(2 * Math.PI * _noise.NextDouble());
}

/// <summary><c>sim-battery</c>: the AC-coupled battery, + charging / − discharging.</summary>
public sealed class SimBattery(string id, SimDeviceOptions options, Plugins.DeviceContext context) : SimDevice(id, options, context), IBattery, IBatteryControl, ISafeState
{
    /// <inheritdoc />
    public Task SetBatteryModeAsync(BatteryMode mode, double? powerW, double? targetSocPct, CancellationToken cancellationToken)
    {
        if (powerW is < 0 || targetSocPct is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(powerW), $"{Id}: a power of at least 0 W and a target from 0 to 100 %");
        }
        Site.SetBatteryMode(Time.GetUtcNow(), mode, powerW, targetSocPct);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public string SafeStateDescription => "self-consumption (Auto)";

    /// <inheritdoc />
    public Task EnterSafeStateAsync(CancellationToken cancellationToken) => SetBatteryModeAsync(BatteryMode.Auto, null, null, cancellationToken);

    /// <inheritdoc />
    public override string DisplayName => "Simulated battery";

    /// <inheritdoc />
    public double? CapacityWh => Site.Options.BatteryCapacityWh;

    /// <inheritdoc />
    public double? MaxChargeW => Site.Options.BatteryMaxChargeW;

    /// <inheritdoc />
    public double? MaxDischargeW => Site.Options.BatteryMaxDischargeW;

    /// <inheritdoc />
    public double? RoundTripEfficiencyPct => Site.Options.BatteryEfficiencyPct;

    /// <inheritdoc />
    public (double MinPct, double MaxPct)? SocLimitsPct => (Site.Options.BatteryMinSocPct, Site.Options.BatteryMaxSocPct);

    /// <inheritdoc />
    protected override DeviceReading Read(SiteSample s) =>
        new() { Timestamp = s.Time, Battery = new BatteryReading(Math.Round(s.BatterySocPct, 3), Math.Round(s.BatteryW, 1)) { ChargeLimitW = Math.Round(s.BatteryChargeLimitW), Mode = Site.BatteryMode } };
}

/// <summary><c>sim-prices</c>: the next 24 hours of half-hourly prices from a recorded Amber forecast, AUD/kWh.</summary>
public sealed class SimPrices(string id, SimDeviceOptions options, Plugins.DeviceContext context) : SimDevice(id, options, context), IPriceSource
{
    /// <inheritdoc />
    public override string DisplayName => $"Simulated prices ({Site.Options.PriceSnapshot})";

    /// <inheritdoc />
    public string Currency => Site.Options.PriceCurrency;

    /// <inheritdoc />
    protected override DeviceReading Read(SiteSample s)
    {
        if (Site.Series is not null)
        {
            return new DeviceReading { Timestamp = s.Time, Prices = new PriceSeries(Currency, Site.PublishedHours(s.Time)) };
        }
        var first = SimulatedSite.HalfHourStart(s.Time);
        var intervals = Enumerable.Range(0, 48).Select(i =>
        {
            var start = first.AddMinutes(30 * i);
            var (import, feedIn) = Site.PriceAt(start);
            return new PriceInterval(start, start.AddMinutes(30), import, feedIn, IsForecast: i > 0);
        }).ToList();
        return new DeviceReading { Timestamp = s.Time, Prices = new PriceSeries(Currency, intervals) };
    }
}

/// <summary>
/// <c>sim-wallbox</c>: an EV charger with a car always plugged in, 6–16 A in 1 A steps on 1 or 3 phases of 230 V (fixed
/// by the site's <c>WallboxPhases</c>: like a go-e without API v2, it cannot switch phases). Follows an allowance in W
/// (<see cref="IConsumer"/>) or a current (<see cref="ICurrentLimiter"/>), whichever came last.
/// </summary>
public sealed class SimWallbox(string id, SimDeviceOptions options, Plugins.DeviceContext context) : SimDevice(id, options, context), IConsumer, IEvCharger, ICurrentLimiter, IPhaseSwitcher, ISafeState
{
    /// <inheritdoc />
    public string SafeStateDescription => "off (allowance 0 W)";

    /// <inheritdoc />
    public Task EnterSafeStateAsync(CancellationToken cancellationToken) => SetAllowanceAsync(0, cancellationToken);

    private double? _allowanceW;

    /// <inheritdoc />
    public override string DisplayName => "Simulated wallbox";

    private double PerAmpW => Site.WallboxPhases * 230.0;

    /// <inheritdoc />
    public ConsumerProfile Profile => new(16 * PerAmpW, 6 * PerAmpW, PerAmpW, 100);

    /// <inheritdoc />
    public EvChargerLimits Limits => new(6, 16, Site.Options.WallboxPhases);

    /// <inheritdoc />
    public Task SetAllowanceAsync(double watts, CancellationToken cancellationToken)
    {
        _allowanceW = watts;
        Site.SetWallboxCurrent(Time.GetUtcNow(), (int)Math.Floor(watts / PerAmpW));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">Neither 0 nor 6–16 A; nothing is changed.</exception>
    public Task SetChargeCurrentAsync(double amps, CancellationToken cancellationToken)
    {
        if (!double.IsFinite(amps) || amps != 0 && amps is < 6 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(amps), amps, "the simulated wallbox charges with 0 (paused) or 6–16 A");
        }
        _allowanceW = null;
        Site.SetWallboxCurrent(Time.GetUtcNow(), (int)Math.Floor(amps));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>As a go-e with its phase relay: a charging car is paused by the switch (the current goes to 0).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">Neither 1 nor 3; nothing is changed.</exception>
    public Task SetPhasesAsync(int phases, CancellationToken cancellationToken)
    {
        if (phases is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(phases), phases, "the simulated wallbox switches between 1 and 3 phases");
        }
        if (phases != Site.WallboxPhases)
        {
            Site.SetWallboxCurrent(Time.GetUtcNow(), 0, phases);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override DeviceReading Read(SiteSample s) => new()
    {
        Timestamp = s.Time,
        Consumer = new ConsumerReading(Math.Round(s.EvW, 1), Site.WallboxCurrentA > 0) { AllowanceW = _allowanceW },
        Charger = new EvChargerReading(s.EvSocPct >= 99.99 ? EvCarState.Complete : Site.WallboxCurrentA > 0 ? EvCarState.Charging : EvCarState.Connected, Math.Round(s.EvW, 1), Site.WallboxCurrentA, Site.WallboxPhases),
    };
}

/// <summary><c>sim-relay</c>: an on/off load (a heater, a pump) that runs when its allowance covers it, or when switched on.</summary>
public sealed class SimRelay(string id, SimDeviceOptions options, Plugins.DeviceContext context) : SimDevice(id, options, context), IConsumer, ISwitch, ISafeState
{
    /// <inheritdoc />
    public string SafeStateDescription => "off (allowance 0 W)";

    /// <inheritdoc />
    public Task EnterSafeStateAsync(CancellationToken cancellationToken) => SetAllowanceAsync(0, cancellationToken);

    private double? _allowanceW;

    /// <inheritdoc />
    public override string DisplayName => "Simulated relay load";

    /// <inheritdoc />
    public ConsumerProfile Profile => new(Site.Options.RelayLoadW, Site.Options.RelayLoadW, Site.Options.RelayLoadW, 200);

    /// <inheritdoc />
    public Task SetAllowanceAsync(double watts, CancellationToken cancellationToken)
    {
        _allowanceW = watts;
        Site.SetRelay(Time.GetUtcNow(), watts >= Site.Options.RelayLoadW);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SetSwitchAsync(bool on, CancellationToken cancellationToken)
    {
        _allowanceW = null;
        Site.SetRelay(Time.GetUtcNow(), on);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override DeviceReading Read(SiteSample s) =>
        new() { Timestamp = s.Time, Consumer = new ConsumerReading(s.RelayW, Site.RelayOn) { AllowanceW = _allowanceW } };
}
