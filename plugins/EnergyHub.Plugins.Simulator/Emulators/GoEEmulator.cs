using System.Globalization;
using System.Text.Json;
using EnergyHub.Plugins.Simulator.Site;

namespace EnergyHub.Plugins.Simulator.Emulators;

/// <summary>
/// A go-e charger's local HTTP API, v2 (<c>/api/status?filter=</c>, <c>/api/set</c> with per-key answers and HTTP 500
/// for a refused key) or v1 (<c>/status</c> in strings and tenths, <c>/mqtt?payload=</c> answering the whole status).
/// A car is plugged in or not (<see cref="CarConnected"/>); it charges while allowed (v2 <c>frc</c> 2, or 0 = the
/// charger's logic, which allows; v1 <c>alw</c> 1) at <c>amp</c> on 1 or 3 phases (<c>psm</c>), and the energy
/// counters run on the given clock. With a <see cref="SimulatedSite"/> the charger is the site's wallbox: what it
/// offers reaches the site, and the power is what the site's EV takes (nothing once it is full).
/// </summary>
public sealed class GoEEmulator(bool v2, TimeProvider time, bool phaseRelay = true, SimulatedSite? site = null) : HttpEmulator
{
    private const double VoltageV = 230;
    private readonly Lock _gate = new();
    private DateTimeOffset _last = time.GetUtcNow();
    private int _amp = 16;
    private int _frc;
    private int _alw = 1;
    private int _psm = site?.WallboxPhases == 1 ? 1 : 0;
    private double _totalWh = 1_843_210;
    private double _sessionWh;

    /// <summary>Whether a car is plugged in; unplugging ends the session.</summary>
    public bool CarConnected { get; set; } = true;

    /// <summary>The most current the charger offers, A (<c>ama</c>).</summary>
    public int MaxCurrentA { get; init; } = 16;

    /// <summary>Writes answered so far, for tests that check nothing unchanged is sent.</summary>
    public int Writes { get; private set; }

    private bool Allowed => v2 ? _frc is 2 or 0 : _alw == 1;

    private int Phases => _psm == 1 ? 1 : 3;

    private bool Charging => CarConnected && Allowed;

    private double PowerW => !Charging ? 0 : site?.Observe(time.GetUtcNow()).EvW ?? _amp * Phases * VoltageV;

    private bool Complete => Charging && site?.Observe(time.GetUtcNow()).EvSocPct >= 99.99;

    private int CarState => !CarConnected ? 1 : Complete ? 4 : Charging ? 2 : 3;

    private void Offer()
    {
        site?.SetWallboxCurrent(time.GetUtcNow(), Charging ? _amp : 0, Phases);
    }

    /// <inheritdoc />
    protected override EmulatorResponse Answer(string pathAndQuery, Func<string, string?> header)
    {
        lock (_gate)
        {
            Advance();
            Offer();
            var (path, query) = Split(pathAndQuery);
            var answer = (v2, path) switch
            {
                (true, "/api/status") => new EmulatorResponse(200, StatusV2(query.GetValueOrDefault("filter"))),
                (true, "/api/set") => SetV2(query),
                (false, "/status") => new EmulatorResponse(200, StatusV1()),
                (false, "/mqtt") => SetV1(query.GetValueOrDefault("payload") ?? ""),
                _ => new EmulatorResponse(404, "Not found"),
            };
            Offer();
            return answer;
        }
    }

    private void Advance()
    {
        var now = time.GetUtcNow();
        var wh = PowerW * (now - _last).TotalHours;
        (_totalWh, _sessionWh, _last) = (_totalWh + wh, CarConnected ? _sessionWh + wh : 0, now);
    }

    private string StatusV2(string? filter)
    {
        var all = new Dictionary<string, object?>
        {
            ["car"] = CarState,
            ["alw"] = Allowed,
            ["acu"] = Allowed ? _amp : null,
            ["amp"] = _amp,
            ["ama"] = MaxCurrentA,
            ["mca"] = 6,
            ["cbl"] = 32,
            ["frc"] = _frc,
            ["psm"] = phaseRelay ? _psm : null,
            ["pnp"] = PowerW > 0 ? Phases : 0,
            ["pha"] = Enumerable.Range(0, 6).Select(i => i >= 3 || (PowerW > 0 && i < Phases)).ToArray(),
            ["nrg"] = Nrg(1, 1, 1),
            ["eto"] = Math.Round(_totalWh),
            ["wh"] = Math.Round(_sessionWh, 1),
            ["err"] = 0,
            ["modelStatus"] = !Allowed ? 4 : _frc == 2 ? 3 : 15,
            ["fwv"] = "060.4",
            ["tma"] = new[] { 24.5, 26.0 },
        };
        var wanted = filter?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return JsonSerializer.Serialize(wanted is null ? all : all.Where(kv => wanted.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    private EmulatorResponse SetV2(Dictionary<string, string> query)
    {
        Writes++;
        var answers = new Dictionary<string, object>();
        foreach (var (key, json) in query)
        {
            answers[key] = (key, int.TryParse(json, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) switch
            {
                ("amp", true) when value >= 6 && value <= MaxCurrentA => Apply(() => _amp = value),
                ("amp", _) => $"amp: value {json} out of range (6..{MaxCurrentA})",
                ("frc", true) when value is >= 0 and <= 2 => Apply(() => _frc = value),
                ("psm", true) when phaseRelay && value is >= 0 and <= 2 => Apply(() => _psm = value),
                ("psm", _) when !phaseRelay => "psm: no phase switch relay",
                _ => $"{key}: tried to set api key without setter (false)",
            };
        }
        return new EmulatorResponse(answers.Values.All(a => a is true) ? 200 : 500, JsonSerializer.Serialize(answers));
    }

    private static object Apply(Action set)
    {
        set();
        return true;
    }

    private string StatusV1() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["version"] = "B",
        ["car"] = CarState.ToString(CultureInfo.InvariantCulture),
        ["amp"] = _amp.ToString(CultureInfo.InvariantCulture),
        ["amx"] = _amp.ToString(CultureInfo.InvariantCulture),
        ["err"] = "0",
        ["alw"] = _alw.ToString(CultureInfo.InvariantCulture),
        ["cbl"] = "32",
        ["pha"] = (56 | (PowerW > 0 ? 7 : 0)).ToString(CultureInfo.InvariantCulture),
        ["tmp"] = "25",
        ["dws"] = Math.Round(_sessionWh * 360).ToString(CultureInfo.InvariantCulture),
        ["eto"] = Math.Round(_totalWh / 100).ToString(CultureInfo.InvariantCulture),
        ["nrg"] = Nrg(10, 100, 10).Select(v => (int)Math.Round(v)).ToArray(),
        ["fwv"] = "041.0",
        ["sse"] = "005434",
    });

    private EmulatorResponse SetV1(string payload)
    {
        Writes++;
        var parts = payload.Split('=', 2);
        if (parts.Length == 2 && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            switch (parts[0])
            {
                case "amp" or "amx" when value >= 6 && value <= MaxCurrentA:
                    _amp = value;
                    break;
                case "alw" when value is 0 or 1:
                    _alw = value;
                    break;
            }
        }
        // A refused value is only visible as the value unchanged, as on a real v1 charger.
        return new EmulatorResponse(200, StatusV1());
    }

    // nrg in v2 units divided by the API's: currents (A / perCurrent), phase powers (W / perPhaseW), total (W / perTotalW).
    private double[] Nrg(double currentScale, double phaseScaleW, double totalScaleW)
    {
        var power = PowerW;
        var amps = power / Phases / VoltageV;
        double[] current = [.. Enumerable.Range(0, 3).Select(i => i < Phases ? amps : 0)];
        return
        [
            231.2, Phases == 3 ? 230.4 : 0, Phases == 3 ? 232.0 : 0, 0.9,
            current[0] * currentScale, current[1] * currentScale, current[2] * currentScale,
            current[0] * VoltageV / phaseScaleW, current[1] * VoltageV / phaseScaleW, current[2] * VoltageV / phaseScaleW, 0,
            power / totalScaleW,
            99, 99, 99, 0,
        ];
    }

    private static (string Path, Dictionary<string, string> Query) Split(string pathAndQuery)
    {
        var at = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (at >= 0)
        {
            foreach (var pair in pathAndQuery[(at + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                query[eq < 0 ? pair : pair[..eq]] = eq < 0 ? "" : pair[(eq + 1)..];
            }
        }
        return (at < 0 ? pathAndQuery : pathAndQuery[..at], query);
    }
}
