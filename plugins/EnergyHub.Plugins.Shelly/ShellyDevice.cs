using System.Text.Json;
using EnergyHub.Devices;
using EnergyHub.Protocols.Http;
using EnergyHub.Readings;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins.Shelly;

/// <summary>
/// A Shelly as a meter (grid, load or PV) and, where it has a relay, a switch. What it is comes from the device on the
/// first read, never from model strings: <c>/shelly</c> gives the generation; Gen1's status has <c>emeters</c> (3EM,
/// EM) or <c>meters</c>/<c>relays</c> (PM, relays); Gen2+'s <c>Shelly.ListMethods</c> offers EM (Pro 3EM), EM1 (Pro
/// EM), Switch or PM1. A device that stops answering what it was (a firmware update changed its generation or profile)
/// is found again on the next read. Signs: a grid meter's + is import; a load's + consuming; a PV meter's + producing
/// (a PM's power is taken as a magnitude before Gen3, whose sign is not reliable); <see cref="ShellyOptions.Invert"/>
/// flips a CT clamped the other way round. With <c>Metering = Net</c> the energy counters are integrated from the
/// signed total power and kept in the device's data directory (every 5 minutes, and when EnergyHub stops).
/// </summary>
public sealed class ShellyDevice : IMeter, ISwitch, IConfiguredAbilities, IDisposable
{
    private static readonly TimeSpan SaveEvery = TimeSpan.FromMinutes(5);
    private readonly ShellyOptions _options;
    private readonly DeviceContext _context;
    private readonly ShellyClient _client;
    private readonly HttpClient _http;
    private readonly NetEnergyCounter? _net;
    private readonly NetEnergyFile? _netFile;
    private DateTimeOffset _netSavedAt;
    private Shape? _shape;
    private string? _gen1Status;

    /// <summary>A Shelly for <paramref name="options"/>; <paramref name="handler"/> replaces the network in tests.</summary>
    public ShellyDevice(ShellyOptions options, DeviceContext context, HttpMessageHandler? handler = null)
    {
        _options = options;
        _context = context;
        _http = handler is not null || options.Password.Length == 0
            ? PluginHttp.Create(context.Services, "shelly", handler)
            : new HttpClient(ShellyClient.Handler(options.User, options.Password));
        _client = new ShellyClient(_http, ShellyClient.BaseAddress(options.Host)) { RequestTimeout = options.RequestTimeout };
        if (options.Metering == ShellyMetering.Net)
        {
            (_net, _netFile, _netSavedAt) = (new NetEnergyCounter(options.EffectiveStaleAfter), new NetEnergyFile(Path.Combine(context.DataDir, "net-energy.json")), context.Time.GetUtcNow());
            RestoreNetEnergy(_net, _netFile);
        }
    }

    private enum Kind { Gen1EnergyMeter, Gen1Switch, ThreePhase, SinglePhase, Switch, PowerMeter }

    private sealed record Shape(int Generation, Kind Kind, bool HasRelay, string Model);

    /// <inheritdoc />
    public string Id => _context.Id;

    /// <inheritdoc />
    public string DisplayName => _shape is { } s ? $"Shelly {s.Model} (Gen{s.Generation}) at {_options.Host}" : $"Shelly at {_options.Host}";

    /// <inheritdoc />
    public MeterRole Role => _options.Role switch
    {
        ShellyRole.Consumer => MeterRole.Load,
        ShellyRole.PvInverter => MeterRole.Pv,
        _ => MeterRole.Grid,
    };

    /// <inheritdoc />
    /// <remarks>Switching needs a relay; until the first read it is assumed, then known.</remarks>
    public bool Has(Type ability) => ability != typeof(ISwitch) || _shape is null || _shape.HasRelay;

    /// <inheritdoc />
    public async ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken)
    {
        var shape = _shape ??= await DetectAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var meter = await MeterAsync(shape, cancellationToken).ConfigureAwait(false);
            var now = _context.Time.GetUtcNow();
            return new DeviceReading { Timestamp = now, Meter = _net is null ? meter : Netted(meter, now) };
        }
        catch (Exception ex) when (ex is ShellyRpcException { Code: 404 } or FormatException)
        {
            _shape = null; // not what it was: find out again on the next read
            throw;
        }
    }

    /// <inheritdoc />
    public async Task SetSwitchAsync(bool on, CancellationToken cancellationToken)
    {
        var shape = _shape ??= await DetectAsync(cancellationToken).ConfigureAwait(false);
        if (!shape.HasRelay)
        {
            throw new InvalidOperationException($"{Id}: this Shelly ({shape.Model}) has no relay to switch");
        }
        bool now;
        if (shape.Generation == 1)
        {
            now = ShellyPayloads.Gen1Relay(await _client.Gen1Async($"relay/{_options.Channel}?turn={(on ? "on" : "off")}", cancellationToken).ConfigureAwait(false));
        }
        else
        {
            await _client.RpcAsync("Switch.Set", $"id={_options.Channel}&on={(on ? "true" : "false")}", cancellationToken).ConfigureAwait(false);
            now = ShellyPayloads.Gen2Switch(await _client.RpcAsync("Switch.GetStatus", $"id={_options.Channel}", cancellationToken).ConfigureAwait(false)).On ?? !on;
        }
        if (now != on)
        {
            throw new IOException($"{Id}: the relay did not switch {(on ? "on" : "off")} (it reads {(now ? "on" : "off")}); is it locked by a timer or an overpower trip?");
        }
    }

    private async Task<Shape> DetectAsync(CancellationToken cancellationToken)
    {
        var info = await _client.InfoAsync(cancellationToken).ConfigureAwait(false);
        if (info.Generation == 1)
        {
            var body = await _client.Gen1Async("status", cancellationToken).ConfigureAwait(false);
            using var status = JsonDocument.Parse(body);
            var root = status.RootElement;
            var relays = root.TryGetProperty("relays", out var r) && r.ValueKind == JsonValueKind.Array ? r.GetArrayLength() : 0;
            var emeters = root.TryGetProperty("emeters", out var e) && e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0;
            _gen1Status = body; // the first read uses it instead of asking again
            return Checked(new Shape(1, emeters ? Kind.Gen1EnergyMeter : Kind.Gen1Switch, relays > _options.Channel, info.Model));
        }
        using var list = JsonDocument.Parse(await _client.RpcAsync("Shelly.ListMethods", null, cancellationToken).ConfigureAwait(false));
        var methods = list.RootElement.TryGetProperty("methods", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().Select(x => x.GetString()).ToHashSet(StringComparer.Ordinal)
            : [];
        var kind = methods.Contains("EM.GetStatus") ? Kind.ThreePhase
            : methods.Contains("EM1.GetStatus") ? Kind.SinglePhase
            : methods.Contains("Switch.GetStatus") ? Kind.Switch
            : methods.Contains("PM1.GetStatus") ? Kind.PowerMeter
            : throw new IOException($"{Id}: this Shelly ({info.Model}) has no meter EnergyHub reads (EM, EM1, Switch or PM1)");
        return Checked(new Shape(info.Generation, kind, methods.Contains("Switch.Set"), info.Model));
    }

    private Shape Checked(Shape shape)
    {
        if (_options.Phase is not null && shape.Kind is Kind.Gen1EnergyMeter or Kind.ThreePhase)
        {
            throw new InvalidOperationException($"{Id}: Phase is for single-phase Shellys, and this one ({shape.Model}) measures every phase; remove Phase from [Device:{Id}]");
        }
        return shape;
    }

    private async Task<string> Gen1StatusAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _gen1Status, null) is { } fresh)
        {
            return fresh;
        }
        return await _client.Gen1Async("status", cancellationToken).ConfigureAwait(false);
    }

    private async Task<MeterReading> MeterAsync(Shape shape, CancellationToken cancellationToken)
    {
        var channel = _options.Channel.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return shape.Kind switch
        {
            Kind.Gen1EnergyMeter => FromEnergyMeter(ShellyPayloads.Gen1EnergyMeter(await Gen1StatusAsync(cancellationToken).ConfigureAwait(false))),
            Kind.ThreePhase => FromEnergyMeter(ShellyPayloads.Gen2ThreePhase(
                await _client.RpcAsync("EM.GetStatus", "id=0", cancellationToken).ConfigureAwait(false),
                await _client.RpcAsync("EMData.GetStatus", "id=0", cancellationToken).ConfigureAwait(false))),
            Kind.SinglePhase => FromEnergyMeter(ShellyPayloads.Gen2SinglePhase(
                await _client.RpcAsync("EM1.GetStatus", $"id={channel}", cancellationToken).ConfigureAwait(false),
                await _client.RpcAsync("EM1Data.GetStatus", $"id={channel}", cancellationToken).ConfigureAwait(false))),
            Kind.Gen1Switch => FromSwitch(shape, ShellyPayloads.Gen1Switch(await Gen1StatusAsync(cancellationToken).ConfigureAwait(false), _options.Channel)),
            Kind.Switch => FromSwitch(shape, ShellyPayloads.Gen2Switch(await _client.RpcAsync("Switch.GetStatus", $"id={channel}", cancellationToken).ConfigureAwait(false))),
            _ => FromSwitch(shape, ShellyPayloads.Gen2Switch(await _client.RpcAsync("PM1.GetStatus", $"id={channel}", cancellationToken).ConfigureAwait(false))),
        };
    }

    private MeterReading FromEnergyMeter(ShellyEnergyMeter meter)
    {
        var sign = _options.Invert ? -1 : 1;
        return new MeterReading(sign * meter.PowerW)
        {
            ImportEnergyWh = _options.Invert ? meter.ExportWh : meter.ImportWh,
            ExportEnergyWh = _options.Invert ? meter.ImportWh : meter.ExportWh,
            Phases = OnPhase([.. meter.Phases.Select(p => new PhaseReading(p.VoltageV, p.CurrentA, sign * p.PowerW))]),
        };
    }

    private MeterReading FromSwitch(Shape shape, ShellySwitchStatus status)
    {
        // Before Gen3 the sign of a PM's power is not reliable: its magnitude, in the role's positive direction.
        var pv = _options.Role == ShellyRole.PvInverter;
        var power = (_options.Invert ? -1 : 1) * (shape.Generation < 3 ? Math.Abs(status.PowerW) : pv ? -status.PowerW : status.PowerW);
        return new MeterReading(power)
        {
            ImportEnergyWh = pv ? status.ReturnedWh ?? status.EnergyWh : status.EnergyWh,
            Phases = OnPhase([new PhaseReading(status.VoltageV, status.CurrentA, power)]),
        };
    }

    // A single-phase device on a three-phase site: its values on its phase, nothing known of the others.
    private PhaseReading[] OnPhase(PhaseReading[] phases) => _options.Phase is not { } phase || phases.Length != 1
        ? phases
        : [.. Enumerable.Range(1, 3).Select(p => p == phase ? phases[0] : new PhaseReading(null, null, null))];

    private MeterReading Netted(MeterReading meter, DateTimeOffset now)
    {
        _net!.Add(now, meter.PowerW);
        if (now - _netSavedAt >= SaveEvery)
        {
            SaveNetEnergy(now);
        }
        return meter with { ImportEnergyWh = _net.ImportWh, ExportEnergyWh = _net.ExportWh };
    }

    private void RestoreNetEnergy(NetEnergyCounter counter, NetEnergyFile file)
    {
        try
        {
            if (file.Load(_context.Time.GetUtcNow()) is { } kept)
            {
                counter.Restore(kept.ImportWh, kept.ExportWh);
            }
        }
        catch (InvalidDataException ex)
        {
            _context.Logger.LogError("{Id}: the net energy counters start again from 0: {Problem}. Copy the old values in by hand if you know them (ImportWh, ExportWh).", Id, ex.Message);
        }
    }

    private void SaveNetEnergy(DateTimeOffset now)
    {
        try
        {
            _netFile!.Save(_net!.ImportWh, _net.ExportWh, now);
            _netSavedAt = now;
        }
        catch (IOException ex)
        {
            _context.Logger.LogWarning("{Id}: could not keep the net energy counters in {File} ({Problem}); is DataDir writable?", Id, _netFile!.Path, ex.Message);
        }
    }

    /// <summary>Keeps the net energy counters (with <c>Metering = Net</c>) and lets go of the connection.</summary>
    public void Dispose()
    {
        if (_net is not null)
        {
            SaveNetEnergy(_context.Time.GetUtcNow());
        }
        _http.Dispose();
    }
}
