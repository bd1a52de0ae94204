using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;
using EnergyHub.Services;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins.Simulator.Emulators;

/// <summary>The <c>[AmberEmulator]</c> section.</summary>
public sealed class AmberEmulatorOptions : ServiceOptions
{
    /// <summary>Port on 127.0.0.1; point an amber device's BaseUrl at http://127.0.0.1:PORT/v1/.</summary>
    [Range(1024, 65535)]
    public int Port { get; init; } = 18081;

    /// <summary>The key the emulator accepts.</summary>
    public string ApiKey { get; init; } = "psk_simulated";

    /// <summary>Which recorded forecast to serve: scenario1 … scenario5.</summary>
    public string Snapshot { get; init; } = "scenario1";
}

/// <summary>The <c>[GoEEmulator]</c> section: a go-e charger with a car plugged in.</summary>
public sealed class GoEEmulatorOptions : ServiceOptions
{
    /// <summary>Port on 127.0.0.1; point a goe device's Host at 127.0.0.1:PORT.</summary>
    [Range(1024, 65535)]
    public int Port { get; init; } = 18083;

    /// <summary>The API it speaks: 2 (Charger V3/V4, Gemini) or 1 (older hardware).</summary>
    [Range(1, 2)]
    public int ApiVersion { get; init; } = 2;

    /// <summary>Whether the charger has the relay to switch between 1 and 3 phases.</summary>
    public bool PhaseRelay { get; init; } = true;

    /// <summary>Whether a car is plugged in.</summary>
    public bool CarConnected { get; init; } = true;

    /// <summary>A sim-site whose wallbox and EV the charger is (what it offers charges the site's EV); empty = on its own.</summary>
    [DeviceRef(typeof(Site.SimSiteDevice))]
    public string Site { get; init; } = "";
}

/// <summary>The <c>[ShellyEmulator]</c> section: a Shelly meter or relay.</summary>
public sealed class ShellyEmulatorOptions : ServiceOptions
{
    /// <summary>Port on 127.0.0.1; point a shelly device's Host at 127.0.0.1:PORT.</summary>
    [Range(1024, 65535)]
    public int Port { get; init; } = 18084;

    /// <summary>Gen1ThreeEm, Pro3Em or Plus1Pm.</summary>
    public ShellyModel Model { get; init; } = ShellyModel.Pro3Em;

    /// <summary>A password the emulator asks for (Gen1 Basic, Gen2 Digest SHA-256); empty = none.</summary>
    public string Password { get; init; } = "";

    /// <summary>The power it reports, W (+ import, or + consumed while a 1PM's relay is on), when it has no <see cref="Site"/>.</summary>
    public double PowerW { get; init; } = 1200;

    /// <summary>A sim-site it measures: a meter shows the site's grid connection, a Plus1Pm switches the site's relay load; empty = <see cref="PowerW"/>.</summary>
    [DeviceRef(typeof(Site.SimSiteDevice))]
    public string Site { get; init; } = "";

    /// <summary>A second device, a Plus 1PM (the site's relay load with a <see cref="Site"/>), on this port; 0 = none.</summary>
    [Range(0, 65535)]
    public int PlugPort { get; init; }
}

/// <summary>The <c>[PseEmulator]</c> section.</summary>
public sealed class PseEmulatorOptions : ServiceOptions
{
    /// <summary>Port on 127.0.0.1; point a pse device's BaseUrl at http://127.0.0.1:PORT/api/.</summary>
    [Range(1024, 65535)]
    public int Port { get; init; } = 18082;

    /// <summary>An hourly CSV (datetime_utc, price per MWh), e.g. shared/data/de-dayahead-price-solar-hourly-2024-2026.csv.</summary>
    [Required]
    public string DataFile { get; init; } = "";

    /// <summary>Multiplies the file's prices (4.25 turns EUR/MWh into roughly PLN/MWh).</summary>
    [Range(0.0, 1000.0)]
    public double CurrencyFactor { get; init; } = 4.25;
}

/// <summary>The <c>[GoodWeEmulator]</c> section.</summary>
public sealed class GoodWeEmulatorOptions : ServiceOptions
{
    /// <summary>Port on 127.0.0.1; point a goodwe device's Host at 127.0.0.1 and Port at it.</summary>
    [Range(1024, 65535)]
    public int Port { get; init; } = 15020;

    /// <summary>The sim-site whose inverter (and, as an ET, battery) the emulator shows.</summary>
    [Required]
    [DeviceRef(typeof(Site.SimSiteDevice))]
    public string Site { get; init; } = "";

    /// <summary>Dt (a PV inverter) or Et (a hybrid with the site's battery and EMS battery modes).</summary>
    public GoodWeEmulatorFamily Model { get; init; } = GoodWeEmulatorFamily.Dt;
}

/// <summary>The <c>[AlphaEssEmulator]</c> section.</summary>
public sealed class AlphaEssEmulatorOptions : ServiceOptions
{
    /// <summary>Port on 127.0.0.1; point an alphaess device's BaseUrl at http://127.0.0.1:PORT/api/.</summary>
    [Range(1024, 65535)]
    public int Port { get; init; } = 18083;

    /// <summary>The sim-site whose battery and meter the emulator shows.</summary>
    [Required]
    [DeviceRef(typeof(Site.SimSiteDevice))]
    public string Site { get; init; } = "";

    /// <summary>The AppID the emulator accepts.</summary>
    public string AppId { get; init; } = "alphasimulated";

    /// <summary>The AppSecret the emulator checks signatures with.</summary>
    public string AppSecret { get; init; } = "0123456789abcdef0123456789abcdef";

    /// <summary>Shortest time between two data requests before the emulator answers 6053.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MinRequestInterval { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>Runs an emulator while the service is switched on: started on the first tick, stopped on shutdown.</summary>
public sealed class EmulatorService(string name, Func<IAsyncDisposable> start, ILogger logger) : IService
{
    private IAsyncDisposable? _emulator;

    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public bool StandsInForHardware => true;

    /// <inheritdoc />
    public Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        if (_emulator is null)
        {
            _emulator = start();
            logger.LogInformation("{Service} serving on 127.0.0.1", name);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        if (_emulator is { } emulator)
        {
            _emulator = null;
            await emulator.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>The <c>[AxpertEmulator]</c> section: an off-grid Axpert with a 48 V lead-acid bank on a pty.</summary>
public sealed class AxpertEmulatorOptions : ServiceOptions
{
    /// <summary>The pty an axpert device opens (Transport = Serial, Device = this path).</summary>
    public string Link { get; init; } = "/tmp/energyhub-axpert";

    /// <summary>The sim-site whose PV and house load drive the bank.</summary>
    [Required]
    [DeviceRef(typeof(Site.SimSiteDevice))]
    public string Site { get; init; } = "";

    /// <summary>Share of the site's PV that reaches the off-grid inverter.</summary>
    [Range(0.0, 10.0)]
    public double PvScale { get; init; } = 0.5;

    /// <summary>Share of the site's house load the off-grid inverter carries.</summary>
    [Range(0.0, 10.0)]
    public double LoadScale { get; init; } = 0.5;

    /// <summary>Bank capacity, Ah at 48 V.</summary>
    [Range(10.0, 10000.0)]
    public double CapacityAh { get; init; } = 400;

    /// <summary>State of charge at start, %.</summary>
    [Range(0.0, 100.0)]
    public double InitialSocPct { get; init; } = 80;
}

/// <summary>Runs an <see cref="OffGrid.AxpertEmulatorHost"/>: started on the first tick, moved on every tick, stopped on shutdown.</summary>
public sealed class AxpertEmulatorService(AxpertEmulatorOptions options, Func<Site.SimulatedSite> site, ILogger logger) : IService
{
    private OffGrid.AxpertEmulatorHost? _host;

    /// <inheritdoc />
    public string Name => "AxpertEmulator";

    /// <inheritdoc />
    public bool StandsInForHardware => true;

    /// <inheritdoc />
    public Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        if (_host is null)
        {
            _host = new OffGrid.AxpertEmulatorHost(options.Link, options.CapacityAh, options.InitialSocPct);
            logger.LogInformation("AxpertEmulator serving PI30 on {Link} (axpert device: Transport = Serial, Device = {Link})", options.Link, options.Link);
        }
        _host.Advance(tick.Now, site().Current, options.PvScale, options.LoadScale);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        if (_host is { } host)
        {
            _host = null;
            await host.DisposeAsync().ConfigureAwait(false);
        }
    }
}
