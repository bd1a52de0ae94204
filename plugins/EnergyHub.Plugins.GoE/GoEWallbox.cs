using System.Globalization;
using EnergyHub.Devices;
using EnergyHub.Protocols.Http;
using EnergyHub.Readings;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins.GoE;

/// <summary>
/// A go-e wallbox: its status as an <see cref="IEvCharger"/> reading, and what EnergyHub may tell it: the charging
/// current (whole amps within mca, ama, the cable and <see cref="GoEOptions.MaxCurrentA"/>; 0 pauses), charging on or
/// off (v2 <c>frc</c> 2/1, v1 <c>alw</c>), and 1 or 3 phases where firmware and hardware have the relay (v2
/// <c>psm</c>; otherwise the ability is absent). v1 is sent the volatile current <c>amx</c>, never <c>amp</c>, which
/// wears the flash. Only values that differ from the last status are sent; each is confirmed by the charger's answer
/// and checked again in the next status. As an <see cref="IConsumer"/> it follows a surplus allowance (es-ESS's EV
/// consumer): the whole amps the allowance buys on the phases in use, paused below the minimum current.
/// </summary>
public sealed class GoEWallbox : IEvCharger, ICurrentLimiter, IPhaseSwitcher, ISwitch, ISafeState, IConsumer, IConfiguredAbilities
{
    private readonly GoEOptions _options;
    private readonly DeviceContext _context;
    private readonly GoEClient _client;
    private readonly Dictionary<string, string> _expected = new(StringComparer.Ordinal);
    private GoEStatus? _status;
    private double? _allowanceW;

    /// <summary>A wallbox for <paramref name="options"/>; <paramref name="handler"/> replaces the network in tests.</summary>
    public GoEWallbox(GoEOptions options, DeviceContext context, HttpMessageHandler? handler = null)
    {
        _options = options;
        _context = context;
        var local = options.Host.Length > 0;
        _client = new GoEClient(PluginHttp.Create(context.Services, "goe", handler),
            local ? GoEClient.BaseAddress(options.Host) : GoEClient.CloudAddress(options.Serial),
            options.Api, local ? null : options.ApiToken);
    }

    /// <inheritdoc />
    public string Id => _context.Id;

    /// <inheritdoc />
    public string DisplayName => $"go-e charger at {(_options.Host.Length > 0 ? _options.Host : $"cloud {_options.Serial}")}";

    /// <summary>The last status read, or null before the first.</summary>
    public GoEStatus? Status => _status;

    /// <inheritdoc />
    public EvChargerLimits Limits => new(_status?.MinCurrentA ?? 6, MaxCurrentA, _options.Phases);

    private int PhasesNow => _status?.PhaseSwitchMode == 1 ? 1 : _options.Phases;

    private double PerAmpW => PhasesNow * Limits.VoltageV;

    /// <inheritdoc />
    /// <remarks>As es-ESS offered an EV: the most current, the minimum current and one ampere on the phases in use.</remarks>
    public ConsumerProfile Profile => new(MaxCurrentA * PerAmpW, Limits.MinCurrentA * PerAmpW, PerAmpW, 50);

    /// <inheritdoc />
    public Task SetAllowanceAsync(double watts, CancellationToken cancellationToken)
    {
        _allowanceW = watts;
        var amps = Math.Floor(watts / PerAmpW + 1e-9);
        return SetChargeCurrentAsync(amps < Limits.MinCurrentA ? 0 : Math.Min(amps, MaxCurrentA), cancellationToken);
    }

    /// <inheritdoc />
    public string SafeStateDescription => _options.SafeState == GoESafeState.Off ? "charging off" : "the charger's own logic";

    private int MaxCurrentA => new[] { _options.MaxCurrentA, _status?.MaxCurrentA ?? 32, _status?.CableLimitA is > 0 and var cable ? cable : 32 }.Min();

    /// <inheritdoc />
    /// <remarks>Phase switching needs API v2 and a charger that reports a phase switch mode (<c>psm</c>).</remarks>
    public bool Has(Type ability) =>
        ability != typeof(IPhaseSwitcher) || (_options.Phases == 3 && (_status is null ? _options.Api != GoEApi.V1 : _status is { Api: GoEApi.V2, PhaseSwitchMode: not null }));

    /// <inheritdoc />
    public async ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken)
    {
        var status = await _client.StatusAsync(cancellationToken).ConfigureAwait(false);
        CheckExpected(status);
        _status = status;
        var charger = status.ToReading();
        return new DeviceReading
        {
            Timestamp = _context.Time.GetUtcNow(), Charger = charger,
            Consumer = new ConsumerReading(charger.PowerW, charger.CurrentA > 0) { AllowanceW = _allowanceW },
        };
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">Above the charger's maximum or below its minimum (other than 0).</exception>
    public async Task SetChargeCurrentAsync(double amps, CancellationToken cancellationToken)
    {
        await KnowStateAsync(cancellationToken).ConfigureAwait(false);
        if (amps <= 0)
        {
            await SendChangedAsync([Enable(false)], cancellationToken).ConfigureAwait(false);
            return;
        }
        var whole = (int)Math.Floor(amps + 1e-9); // never more than asked
        var (min, max) = ((int)Limits.MinCurrentA, MaxCurrentA);
        if (whole < min || whole > max)
        {
            throw new ArgumentOutOfRangeException(nameof(amps), amps, $"{Id}: a charging current must be 0 (pause) or {min}…{max} A");
        }
        var current = _client.Api == GoEApi.V1 ? "amx" : "amp";
        await SendChangedAsync([(current, whole.ToString(CultureInfo.InvariantCulture)), Enable(true)], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetPhasesAsync(int phases, CancellationToken cancellationToken)
    {
        if (phases is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(phases), phases, $"{Id}: 1 or 3 phases");
        }
        await KnowStateAsync(cancellationToken).ConfigureAwait(false);
        if (!Has(typeof(IPhaseSwitcher)))
        {
            throw new InvalidOperationException($"{Id}: this go-e charger cannot switch phases (API v2 and a phase relay are needed)");
        }
        await SendChangedAsync([("psm", phases == 1 ? "1" : "2")], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetSwitchAsync(bool on, CancellationToken cancellationToken)
    {
        await KnowStateAsync(cancellationToken).ConfigureAwait(false);
        await SendChangedAsync([Enable(on)], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task EnterSafeStateAsync(CancellationToken cancellationToken)
    {
        await KnowStateAsync(cancellationToken).ConfigureAwait(false);
        var off = _options.SafeState == GoESafeState.Off;
        (string, string) safe = _client.Api == GoEApi.V1 ? ("alw", off ? "0" : "1") : ("frc", off ? "1" : "0");
        await _client.SetAsync([safe], cancellationToken).ConfigureAwait(false); // always sent: a stale status is not trusted here
    }

    private (string Key, string Json) Enable(bool on) => _client.Api == GoEApi.V1 ? ("alw", on ? "1" : "0") : ("frc", on ? "2" : "1");

    // A write needs the API (Auto finds it on the first read) and the limits of the last status.
    private async Task KnowStateAsync(CancellationToken cancellationToken)
    {
        if (_status is null || _client.Api == GoEApi.Auto)
        {
            await ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // Sends what differs from the last status, and remembers it to check in the next status.
    private async Task SendChangedAsync(IReadOnlyList<(string Key, string Json)> values, CancellationToken cancellationToken)
    {
        var changed = values.Where(v => Current(v.Key) != v.Json).ToList();
        await _client.SetAsync(changed, cancellationToken).ConfigureAwait(false);
        foreach (var (key, json) in changed)
        {
            _expected[key] = json;
        }
    }

    private string? Current(string key) => Current(_status, key);

    private static string? Current(GoEStatus? status, string key) => status is not { } s ? null : key switch
    {
        "amp" or "amx" => s.RequestedCurrentA.ToString(CultureInfo.InvariantCulture),
        "frc" => s.Force is { } force ? ((int)force).ToString(CultureInfo.InvariantCulture) : null,
        "alw" => s.Allowed ? "1" : "0",
        "psm" => s.PhaseSwitchMode?.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    private void CheckExpected(GoEStatus status)
    {
        foreach (var (key, json) in _expected)
        {
            if (Current(status, key) is { } now && now != json)
            {
                _context.Logger.LogWarning("{Device}: {Key}={Value} was written but the charger now reads {Now}; it is sent again with the next command",
                    Id, key, json, now);
            }
        }
        _expected.Clear();
    }
}
