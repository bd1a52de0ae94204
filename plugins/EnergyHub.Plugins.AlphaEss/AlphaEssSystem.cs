using System.Globalization;
using System.Text.Json;
using EnergyHub.Devices;
using EnergyHub.Protocols.Http;
using EnergyHub.Readings;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins.AlphaEss;

/// <summary>
/// One AlphaESS system through the OpenAPI: battery (SOC, power), grid meter, load and PV from getLastPowerData,
/// signed requests, at most one request per <see cref="AlphaEssOptions.MinRequestInterval"/> (polls in between get
/// the last values), exponential back-off on 6053. AlphaESS reports pbat + discharging and pgrid + importing by
/// default; both are configurable, and a power-balance check names the flag to flip when the data contradicts it.
/// </summary>
public sealed class AlphaEssSystem : IBattery, IMeter, IDisposable
{
    private static readonly TimeSpan BalanceWarningEvery = TimeSpan.FromHours(1);
    private readonly AlphaEssOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private string? _sysSn;
    private DeviceReading? _last;
    private DateTimeOffset _nextRequest;
    private int _throttled;
    private DateTimeOffset _lastBalanceWarning = DateTimeOffset.MinValue;

    /// <summary>Creates the driver; <paramref name="handler"/> replaces the network in tests.</summary>
    public AlphaEssSystem(AlphaEssOptions options, Plugins.DeviceContext context, HttpMessageHandler? handler = null)
    {
        _options = options;
        _logger = context.Logger;
        _time = context.Time;
        Id = context.Id;
        var baseUrl = ApiAddress.WithTrailingSlash(options.BaseUrl);
        _http = PluginHttp.Create(context.Services, "alphaess", handler);
        (_http.BaseAddress, _http.Timeout) = (baseUrl, TimeSpan.FromSeconds(12));
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public string DisplayName => $"AlphaESS {_sysSn ?? "system"}";

    /// <inheritdoc />
    public MeterRole Role => MeterRole.Grid;

    /// <inheritdoc />
    public double? CapacityWh { get; private set; }

    /// <inheritdoc />
    public async ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now < _nextRequest)
        {
            return _last ?? throw new IOException($"AlphaESS: waiting {(_nextRequest - now).TotalSeconds:0} s before the next request");
        }
        _nextRequest = now + _options.MinRequestInterval;
        try
        {
            _sysSn ??= await DiscoverAsync(cancellationToken).ConfigureAwait(false);
            var data = AlphaEssApi.Data(await GetAsync($"getLastPowerData?sysSn={Uri.EscapeDataString(_sysSn)}", cancellationToken).ConfigureAwait(false));
            _throttled = 0;
            _last = Normalize(data, now);
            return _last;
        }
        catch (AlphaEssException ex) when (ex.Code == 6053)
        {
            _throttled++;
            _nextRequest = now + EnergyHub.Backoff.Delay(TimeSpan.FromSeconds(15), _throttled, TimeSpan.FromMinutes(5));
            _logger.LogWarning("{Device}: {Message}; next request at {Next:u}", Id, ex.Message, _nextRequest);
            if (_last is null)
            {
                throw;
            }
            return _last;
        }
    }

    /// <summary>Turns getLastPowerData into SDK signs: grid + import, battery + charging, load and PV + .</summary>
    internal DeviceReading Normalize(JsonElement data, DateTimeOffset now)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new IOException($"AlphaESS returned {data.ValueKind} as power data for {_sysSn}, not an object");
        }
        double? Field(string name) => data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        var (pbat, pgrid, pload, ppv, soc) = (Field("pbat"), Field("pgrid"), Field("pload"), Field("ppv"), Field("soc"));
        if (pbat is null || pgrid is null || soc is null)
        {
            throw new IOException($"AlphaESS returned no power data for {_sysSn} (all fields null: some models, e.g. Storion-S5, only report history)");
        }
        var discharge = _options.BatteryPositiveIsCharge ? -pbat.Value : pbat.Value;
        var import = _options.GridPositiveIsImport ? pgrid.Value : -pgrid.Value;
        _logger.LogDebug("{Device}: raw pbat {Pbat} pgrid {Pgrid} pload {Pload} ppv {Ppv} soc {Soc} -> battery {Battery} W (+charge), grid {Grid} W (+import)",
            Id, pbat, pgrid, pload, ppv, soc, -discharge, import);
        CheckBalance(pload, ppv, import, discharge, now);
        return new DeviceReading
        {
            Timestamp = now,
            Battery = new BatteryReading(soc.Value, -discharge),
            Meter = new MeterReading(import),
            Load = pload is { } load ? new MeterReading(load) : null,
            Inverter = ppv is { } pv ? new InverterReading(pv, pv) : null,
            RawPayload = data.GetRawText(),
        };
    }

    // load ≈ pv + grid import + battery discharge. If the other battery sign fits and ours does not, say which flag to flip.
    private void CheckBalance(double? load, double? pv, double import, double discharge, DateTimeOffset now)
    {
        if (load is not { } l || pv is not { } p)
        {
            return;
        }
        var tolerance = Math.Max(100, 0.1 * Math.Abs(l));
        var assumed = Math.Abs(l - (p + import + discharge));
        var flipped = Math.Abs(l - (p + import - discharge));
        var gridFlipped = Math.Abs(l - (p - import + discharge));
        if (assumed <= tolerance || now - _lastBalanceWarning < BalanceWarningEvery)
        {
            return;
        }
        _lastBalanceWarning = now;
        var advice = flipped <= tolerance
            ? $"set BatteryPositiveIsCharge = {(!_options.BatteryPositiveIsCharge).ToString().ToLowerInvariant()} in [Device:{Id}]"
            : gridFlipped <= tolerance
                ? $"set GridPositiveIsImport = {(!_options.GridPositiveIsImport).ToString().ToLowerInvariant()} in [Device:{Id}]"
                : "neither sign flip explains it (an EV charger or a second inverter outside the balance?)";
        _logger.LogWarning("{Device}: power does not balance: load {Load} W vs PV {Pv} W + grid {Grid} W + battery discharge {Discharge} W (off by {Off:0} W); {Advice}",
            Id, l, p, import, discharge, assumed, advice);
    }

    private async Task<string> DiscoverAsync(CancellationToken cancellationToken)
    {
        var systems = AlphaEssApi.Data(await GetAsync("getEssList", cancellationToken).ConfigureAwait(false)).EnumerateArray()
            .Select(s => (Sn: s.GetProperty("sysSn").GetString()!, Kwh: s.TryGetProperty("cobat", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDouble() : 0))
            .ToList();
        var wanted = _options.SystemSn;
        (string Sn, double Kwh)? chosen = wanted.Length == 0
            ? systems.Count == 1 ? systems[0] : null
            : int.TryParse(wanted, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 1 && index <= systems.Count
                ? systems[index - 1]
                : systems.FirstOrDefault(s => s.Sn == wanted) is { Sn: not null } match ? match : null;
        if (chosen is not { } system)
        {
            throw new IOException($"AlphaESS: {(wanted.Length == 0 ? $"the account has {systems.Count} systems" : $"no system '{wanted}'")}; " +
                $"set SystemSn in [Device:{Id}] to one of {string.Join(", ", systems.Select(s => s.Sn))} (or its 1-based position)");
        }
        CapacityWh = system.Kwh > 0 ? system.Kwh * 1000 : null;
        _logger.LogInformation("{Device}: using AlphaESS system {Sn} ({Kwh} kWh)", Id, system.Sn, system.Kwh);
        return system.Sn;
    }

    private async Task<string> GetAsync(string path, CancellationToken cancellationToken)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("appId", _options.AppId);
        request.Headers.Add("timeStamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("sign", AlphaEssApi.Sign(_options.AppId, _options.AppSecret, timestamp));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? body
            : throw new IOException($"AlphaESS answered HTTP {(int)response.StatusCode} to {path.Split('?')[0]} (maintenance?); retrying later");
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
