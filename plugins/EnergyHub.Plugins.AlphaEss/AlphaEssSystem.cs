using System.Globalization;
using System.Text.Json;
using EnergyHub.Devices;
using EnergyHub.Protocols.Http;
using EnergyHub.Readings;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins.AlphaEss;

/// <summary>
/// One AlphaESS system through the OpenAPI: battery (SOC, power), grid meter, load and PV from getLastPowerData,
/// signed requests, at most one request per <see cref="AlphaEssOptions.MinRequestInterval"/>, across restarts too
/// (<see cref="AlphaEssRequestClock"/>; polls in between get the last values), exponential back-off on 6053. AlphaESS
/// reports pbat + discharging and pgrid + importing by default; both are configurable, and a power-balance check names
/// the flag to flip when the data contradicts it.
/// With <see cref="AlphaEssOptions.BatteryControl"/> the battery takes modes through the charge and discharge windows
/// (<see cref="AlphaEssSchedule"/>), each change posted only when the windows differ, then read back.
/// </summary>
public sealed class AlphaEssSystem : IBattery, IMeter, IBatteryControl, ISafeState, IConfiguredAbilities, IDisposable
{
    private static readonly TimeSpan ExtendBefore = TimeSpan.FromMinutes(45);
    private static readonly TimeSpan BalanceWarningEvery = TimeSpan.FromHours(1);
    private readonly AlphaEssOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private string? _sysSn;
    private DeviceReading? _last;
    private DateTimeOffset _nextRequest;
    private DateTimeOffset? _lastRequest;
    private readonly AlphaEssRequestClock _requests;
    private int _throttled;
    private DateTimeOffset _lastBalanceWarning = DateTimeOffset.MinValue;
    private readonly TimeZoneInfo _zone;
    private AlphaEssChargeConfig? _charge;
    private AlphaEssDischargeConfig? _discharge;

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
        _requests = new AlphaEssRequestClock(Path.Combine(context.DataDir, "last-request"), options.MinRequestInterval);
        _nextRequest = _requests.KeptNext(context.Time.GetUtcNow()) ?? DateTimeOffset.MinValue;
        _zone = options.TimeZone.Length == 0 ? context.Time.LocalTimeZone
            : TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out var zone) ? zone
            : throw new ArgumentException($"[Device:{context.Id}] TimeZone = {options.TimeZone} is not a time zone this machine knows: use an IANA name such as Europe/Warsaw, or leave it empty for the site's");
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
        if (now < _nextRequest && _last is not null)
        {
            return _last;
        }
        if (now < _nextRequest && _throttled == 0)
        {
            // The first read after a restart within the interval: wait out the rest rather than start without data.
            await Task.Delay(_nextRequest - now, _time, cancellationToken).ConfigureAwait(false);
            now = _time.GetUtcNow();
        }
        else if (now < _nextRequest)
        {
            throw new IOException($"AlphaESS: waiting {(_nextRequest - now).TotalSeconds:0} s before the next request (rate limit)");
        }
        _nextRequest = now + _options.MinRequestInterval;
        _lastRequest = now;
        try
        {
            _sysSn ??= await DiscoverAsync(cancellationToken).ConfigureAwait(false);
            var data = AlphaEssApi.Data(await GetAsync($"getLastPowerData?sysSn={Uri.EscapeDataString(_sysSn)}", cancellationToken).ConfigureAwait(false));
            _throttled = 0;
            _last = Normalize(data, now);
            if (_charge is { } charge && _discharge is { } discharge)
            {
                _last = _last with { Battery = _last.Battery! with { Mode = AlphaEssSchedule.ModeOf(charge, discharge, Local(now)) } };
            }
            return _last;
        }
        catch (AlphaEssException ex) when (ex.Code == 6053)
        {
            _throttled++;
            _nextRequest = now + EnergyHub.Protocols.Backoff.Delay(TimeSpan.FromSeconds(15), _throttled, TimeSpan.FromMinutes(5));
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

    /// <summary>Battery control only with <c>BatteryControl = true</c>; the safe state (no grid charging, no discharge control) with it.</summary>
    public bool Has(Type ability) => ability != typeof(IBatteryControl) && ability != typeof(ISafeState) || _options.BatteryControl;

    /// <inheritdoc />
    /// <remarks>
    /// AlphaESS charges at its own power: <paramref name="powerW"/> is not sent. A grid charge stops at
    /// <paramref name="targetSocPct"/> (batHighCap) and at the end of its window, which a repeated command extends.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">For <see cref="BatteryMode.Discharge"/>, which is not among <see cref="Modes"/>; nothing was sent.</exception>
    public async Task SetBatteryModeAsync(BatteryMode mode, double? powerW, double? targetSocPct, CancellationToken cancellationToken)
    {
        if (!_options.BatteryControl)
        {
            throw new InvalidOperationException($"set BatteryControl = true in [Device:{Id}] to let EnergyHub change AlphaESS's charge windows; nothing was sent");
        }
        var local = Local(_time.GetUtcNow());
        _sysSn ??= await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        if (_charge is null || _discharge is null)
        {
            (_charge, _discharge) = (await ReadChargeAsync(cancellationToken).ConfigureAwait(false), await ReadDischargeAsync(cancellationToken).ConfigureAwait(false));
            _logger.LogInformation("{Device}: AlphaESS's windows before EnergyHub changes them: {Charge}; {Discharge}", Id, _charge, _discharge);
        }
        var (charge, discharge) = AlphaEssSchedule.For(mode, targetSocPct, local, _options.ChargeWindow, _discharge.BatUseCapPct);
        // A charge in force with the same target is left alone until its window nears its end: AlphaESS limits writes.
        var chargeRuns = mode == BatteryMode.ChargeFromGrid && _charge.GridCharge && _charge.BatHighCapPct == charge.BatHighCapPct
            && AlphaEssSchedule.ChargeLeft(_charge, local) > ExtendBefore;
        if (!chargeRuns && _charge != charge)
        {
            await PostAsync("updateChargeConfigInfo", AlphaEssSchedule.Body(_sysSn, charge), cancellationToken).ConfigureAwait(false);
            _charge = await ReadChargeAsync(cancellationToken).ConfigureAwait(false);
            Confirm("charge", charge, _charge);
        }
        if (_discharge != discharge)
        {
            await PostAsync("updateDisChargeConfigInfo", AlphaEssSchedule.Body(_sysSn, discharge), cancellationToken).ConfigureAwait(false);
            _discharge = await ReadDischargeAsync(cancellationToken).ConfigureAwait(false);
            Confirm("discharge", discharge, _discharge);
        }
    }

    /// <inheritdoc />
    /// <remarks>No <see cref="BatteryMode.Discharge"/>: AlphaESS's windows cannot make the battery feed the grid.</remarks>
    public IReadOnlySet<BatteryMode> Modes { get; } = new HashSet<BatteryMode> { BatteryMode.Auto, BatteryMode.Hold, BatteryMode.ChargeFromGrid };

    /// <inheritdoc />
    public string SafeStateDescription => "no grid charging and no discharge control (the system's own self-consumption)";

    /// <inheritdoc />
    public Task EnterSafeStateAsync(CancellationToken cancellationToken) =>
        _options.BatteryControl ? SetBatteryModeAsync(BatteryMode.Auto, null, null, cancellationToken) : Task.CompletedTask;

    private void Confirm<T>(string what, T sent, T back)
    {
        if (!Equals(sent, back))
        {
            throw new IOException($"AlphaESS accepted the {what} windows {sent} but reads back {back} (its read-back can lag); the next command checks again");
        }
    }

    private DateTime Local(DateTimeOffset now) => TimeZoneInfo.ConvertTime(now, _zone).DateTime;

    private async Task<AlphaEssChargeConfig> ReadChargeAsync(CancellationToken cancellationToken) =>
        AlphaEssSchedule.ParseCharge(AlphaEssApi.Data(await GetAsync($"getChargeConfigInfo?sysSn={Uri.EscapeDataString(_sysSn!)}", cancellationToken).ConfigureAwait(false)));

    private async Task<AlphaEssDischargeConfig> ReadDischargeAsync(CancellationToken cancellationToken) =>
        AlphaEssSchedule.ParseDischarge(AlphaEssApi.Data(await GetAsync($"getDisChargeConfigInfo?sysSn={Uri.EscapeDataString(_sysSn!)}", cancellationToken).ConfigureAwait(false)));

    private async Task PostAsync(string path, string json, CancellationToken cancellationToken)
    {
        using var request = Signed(HttpMethod.Post, path);
        request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        AlphaEssApi.Data(await SendAsync(request, path, cancellationToken).ConfigureAwait(false));
    }

    private HttpRequestMessage Signed(HttpMethod method, string path)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("appId", _options.AppId);
        request.Headers.Add("timeStamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("sign", AlphaEssApi.Sign(_options.AppId, _options.AppSecret, timestamp));
        return request;
    }

    private async Task<string> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var request = Signed(HttpMethod.Get, path);
        return await SendAsync(request, path, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> SendAsync(HttpRequestMessage request, string path, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? body
            : throw new IOException($"AlphaESS answered HTTP {(int)response.StatusCode} to {path.Split('?')[0]} (maintenance?); retrying later");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_lastRequest is { } last)
        {
            _requests.Keep(last);
        }
        _http.Dispose();
    }
}
