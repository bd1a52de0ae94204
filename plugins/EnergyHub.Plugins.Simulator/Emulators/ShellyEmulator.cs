using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EnergyHub.Plugins.Simulator.Site;

namespace EnergyHub.Plugins.Simulator.Emulators;

/// <summary>The Shelly models the emulator can be.</summary>
public enum ShellyModel
{
    /// <summary>Gen1 3EM: <c>/status</c> with three <c>emeters</c> and a relay.</summary>
    Gen1ThreeEm,
    /// <summary>Gen2 Pro 3EM: <c>EM.GetStatus</c> and <c>EMData.GetStatus</c>.</summary>
    Pro3Em,
    /// <summary>Gen2 Plus 1PM: <c>Switch.GetStatus</c> and <c>Switch.Set</c>.</summary>
    Plus1Pm,
}

/// <summary>
/// A Shelly's local HTTP API in the shape of the recorded payloads: a Gen1 3EM (REST, Basic auth when a password is
/// set), a Pro 3EM or a Plus 1PM (RPC by GET, Digest SHA-256 as admin when a password is set, the challenge checked as
/// RFC 7616 says). <see cref="PowerW"/> is spread over the phases; energy counters run on the clock. With a
/// <see cref="SimulatedSite"/> a meter shows the site's grid connection and a Plus 1PM is the site's relay load.
/// </summary>
public sealed class ShellyEmulator(ShellyModel model, TimeProvider time, string? password = null, SimulatedSite? site = null) : HttpEmulator
{
    private const string Realm = "shellyemulated-000000000000";
    private readonly Lock _gate = new();
    private readonly string _nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
    private DateTimeOffset _last = time.GetUtcNow();
    private double _importWh = 5000;
    private double _exportWh = 1000;

    private double _powerW = 1200;
    private bool _on = true;

    /// <summary>The power now, W: + import (meters) or + consumed (1PM, while on); with a site, the site's.</summary>
    public double PowerW
    {
        get => site is null ? _powerW : model == ShellyModel.Plus1Pm ? site.Options.RelayLoadW : site.Observe(time.GetUtcNow()).GridW;
        set => _powerW = value;
    }

    /// <summary>The relay's state; with a site, the site's relay load's.</summary>
    public bool On
    {
        get => site is null || model != ShellyModel.Plus1Pm ? _on : site.RelayOn;
        set
        {
            _on = value;
            if (model == ShellyModel.Plus1Pm)
            {
                site?.SetRelay(time.GetUtcNow(), value);
            }
        }
    }

    /// <summary>Requests turned away for lack of (right) credentials.</summary>
    public int Unauthorized { get; private set; }

    /// <inheritdoc />
    protected override EmulatorResponse Answer(string pathAndQuery, Func<string, string?> header)
    {
        lock (_gate)
        {
            Advance();
            var (path, query) = (pathAndQuery.Split('?')[0], Query(pathAndQuery));
            if (path == "/shelly")
            {
                return Json(Info());
            }
            if (password is not null && !Authorized(header("Authorization"), pathAndQuery))
            {
                Unauthorized++;
                var challenge = model == ShellyModel.Gen1ThreeEm
                    ? "Basic realm=\"shelly\""
                    : $"Digest qop=\"auth\", realm=\"{Realm}\", nonce=\"{_nonce}\", algorithm=SHA-256";
                return new EmulatorResponse(401, "", new Dictionary<string, string> { ["WWW-Authenticate"] = challenge });
            }
            return (model, path) switch
            {
                (ShellyModel.Gen1ThreeEm, "/status") => Json(Gen1Status()),
                (ShellyModel.Gen1ThreeEm, "/relay/0") => Gen1Relay(query),
                (not ShellyModel.Gen1ThreeEm, "/rpc/Shelly.ListMethods") => Json(new { methods = Methods() }),
                (ShellyModel.Pro3Em, "/rpc/EM.GetStatus") => Json(EmStatus()),
                (ShellyModel.Pro3Em, "/rpc/EMData.GetStatus") => Json(new { id = 0, total_act = Math.Round(_importWh, 2), total_act_ret = Math.Round(_exportWh, 2) }),
                (ShellyModel.Plus1Pm, "/rpc/Switch.GetStatus") => Json(SwitchStatus()),
                (ShellyModel.Plus1Pm, "/rpc/Switch.Set") => SwitchSet(query),
                (not ShellyModel.Gen1ThreeEm, _) when path.StartsWith("/rpc/", StringComparison.Ordinal) =>
                    new EmulatorResponse(404, JsonSerializer.Serialize(new { code = 404, message = $"No handler for {path[5..]}" })),
                _ => new EmulatorResponse(404, "Not Found"),
            };
        }
    }

    private void Advance()
    {
        var now = time.GetUtcNow();
        var wh = Math.Abs(Power) * (now - _last).TotalHours;
        (_importWh, _exportWh, _last) = (Power >= 0 ? _importWh + wh : _importWh, Power < 0 ? _exportWh + wh : _exportWh, now);
    }

    private double Power => model == ShellyModel.Plus1Pm && !On ? 0 : PowerW;

    private object Info() => model == ShellyModel.Gen1ThreeEm
        ? new Dictionary<string, object?> { ["type"] = "SHEM-3", ["mac"] = "C45BBE7928B9", ["auth"] = password is not null, ["fw"] = "20230913-114244/v1.14.0-gcb84623", ["num_emeters"] = 3 }
        : new Dictionary<string, object?>
        {
            ["id"] = Realm, ["mac"] = "000000000000", ["model"] = model == ShellyModel.Pro3Em ? "SPEM-003CEBEU" : "SNSW-001P16EU", ["gen"] = 2,
            ["app"] = model == ShellyModel.Pro3Em ? "Pro3EM" : "Plus1PM", ["ver"] = "1.4.4", ["auth_en"] = password is not null, ["auth_domain"] = null,
            ["profile"] = model == ShellyModel.Pro3Em ? "triphase" : null,
        };

    private string[] Methods() => model == ShellyModel.Pro3Em
        ? ["Shelly.GetStatus", "Shelly.ListMethods", "EM.GetStatus", "EMData.GetStatus"]
        : ["Shelly.GetStatus", "Shelly.ListMethods", "Switch.GetStatus", "Switch.Set", "Switch.Toggle"];

    private object Gen1Status() => new
    {
        relays = new[] { new { ison = On, has_timer = false, overpower = false, is_valid = true, source = "http" } },
        emeters = Enumerable.Range(0, 3).Select(_ => new
        {
            power = Math.Round(Power / 3, 2), pf = 0.95, current = Math.Round(Math.Abs(Power) / 3 / 230, 2), voltage = 230.1, is_valid = true,
            total = Math.Round(_importWh / 3, 1), total_returned = Math.Round(_exportWh / 3, 1),
        }).ToArray(),
        total_power = Math.Round(Power, 2),
    };

    private EmulatorResponse Gen1Relay(Dictionary<string, string> query)
    {
        if (query.TryGetValue("turn", out var turn))
        {
            On = turn switch { "on" => true, "off" => false, "toggle" => !On, _ => On };
        }
        return Json(new { ison = On, has_timer = false, overpower = false, source = "http" });
    }

    private Dictionary<string, object?> EmStatus()
    {
        var status = new Dictionary<string, object?> { ["id"] = 0 };
        foreach (var phase in new[] { "a", "b", "c" })
        {
            status[$"{phase}_act_power"] = Math.Round(Power / 3, 1);
            status[$"{phase}_current"] = Math.Round(Math.Abs(Power) / 3 / 230, 3);
            status[$"{phase}_voltage"] = 230.1;
            status[$"{phase}_pf"] = Power >= 0 ? 0.95 : -0.95;
        }
        status["n_current"] = null;
        status["total_act_power"] = Math.Round(Power, 3);
        return status;
    }

    private object SwitchStatus() => new
    {
        id = 0, source = "HTTP", output = On, apower = Math.Round(Power, 1), voltage = 230.1, current = Math.Round(Math.Abs(Power) / 230, 3),
        aenergy = new { total = Math.Round(_importWh, 3), by_minute = new[] { 0.0, 0.0, 0.0 }, minute_ts = time.GetUtcNow().ToUnixTimeSeconds() },
        temperature = new { tC = 41.2, tF = 106.2 },
    };

    private EmulatorResponse SwitchSet(Dictionary<string, string> query)
    {
        if (!query.TryGetValue("on", out var on) || on is not ("true" or "false"))
        {
            return new EmulatorResponse(400, JsonSerializer.Serialize(new { code = -103, message = "Invalid argument 'on'!" }));
        }
        var was = On;
        On = on == "true";
        return Json(new { was_on = was });
    }

    private bool Authorized(string? authorization, string uri)
    {
        if (authorization is null)
        {
            return false;
        }
        if (model == ShellyModel.Gen1ThreeEm)
        {
            return authorization == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{password}"));
        }
        if (!authorization.StartsWith("Digest ", StringComparison.Ordinal))
        {
            return false;
        }
        var fields = authorization[7..].Split(',').Select(f => f.Trim().Split('=', 2)).Where(f => f.Length == 2)
            .ToDictionary(f => f[0], f => f[1].Trim('"'), StringComparer.OrdinalIgnoreCase);
        string H(string s) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s))).ToLowerInvariant();
        if (fields.GetValueOrDefault("algorithm") != "SHA-256" || fields.GetValueOrDefault("username") != "admin" || fields.GetValueOrDefault("nonce") != _nonce)
        {
            return false;
        }
        var expected = H($"{H($"admin:{Realm}:{password}")}:{_nonce}:{fields.GetValueOrDefault("nc")}:{fields.GetValueOrDefault("cnonce")}:auth:{H($"GET:{fields.GetValueOrDefault("uri")}")}");
        return fields.GetValueOrDefault("response") == expected && fields.GetValueOrDefault("uri") is { } digestUri && Uri.UnescapeDataString(digestUri) == uri;
    }

    private static EmulatorResponse Json(object value) => new(200, JsonSerializer.Serialize(value));

    private static Dictionary<string, string> Query(string pathAndQuery)
    {
        var at = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return at < 0 ? [] : pathAndQuery[(at + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
    }
}
