using System.Text.Json;
using static EnergyHub.Plugins.Shelly.ShellyJson;

namespace EnergyHub.Plugins.Shelly;

/// <summary>What <c>GET /shelly</c> says about a device (no authentication needed on any generation).</summary>
/// <param name="Generation">1 for Gen1 (no <c>gen</c>), else 2, 3, 4.</param>
/// <param name="Model">Gen1 <c>type</c> (SHEM-3), Gen2+ <c>model</c> (SPEM-003CEBEU).</param>
/// <param name="Id">Gen2+ device id (the digest realm), null on Gen1.</param>
/// <param name="AuthRequired">Whether requests need credentials (Gen1 Basic, Gen2+ Digest SHA-256, user admin).</param>
/// <param name="Profile">Gen2+ profile (Pro 3EM: triphase or monophase), when it has one.</param>
public sealed record ShellyInfo(int Generation, string Model, string? Id, bool AuthRequired, string? Profile);

/// <summary>One phase (or channel) of a Shelly energy meter; power signed, + towards the load (import) as the CT is mounted.</summary>
public sealed record ShellyPhase(double PowerW, double? CurrentA, double? VoltageV, double? PowerFactor);

/// <summary>A Shelly energy meter (3EM, EM, Pro 3EM, Pro EM): phases, their signed total, and the device's counters in Wh.</summary>
/// <remarks>The per-phase counters are not balanced across phases: their sums are not what a bidirectional utility meter counts.</remarks>
public sealed record ShellyEnergyMeter(IReadOnlyList<ShellyPhase> Phases, double PowerW, double? ImportWh, double? ExportWh);

/// <summary>A Shelly switch or power meter channel (1PM, Plus 1PM, Plug, PM Mini).</summary>
/// <param name="On">The relay's state; null on a meter without a relay.</param>
/// <param name="PowerW">Active power as the device reports it (its sign is reliable only from Gen3 on).</param>
/// <param name="VoltageV">Voltage, V, where measured.</param>
/// <param name="CurrentA">Current, A, where measured.</param>
/// <param name="EnergyWh">Energy counted forwards, Wh (with <c>ret_aenergy</c>: the total minus what was returned).</param>
/// <param name="ReturnedWh">Energy counted backwards, Wh, on devices that meter both ways.</param>
/// <param name="TemperatureC">The device's temperature, °C.</param>
public sealed record ShellySwitchStatus(bool? On, double PowerW, double? VoltageV, double? CurrentA, double? EnergyWh, double? ReturnedWh, double? TemperatureC);

/// <summary>A request the device answered with an error code: 404 (no such method, path or component), a bad parameter, …</summary>
public sealed class ShellyRpcException(int code, string message) : IOException($"Shelly RPC error {code}: {message}")
{
    /// <summary>The error code (404 no handler, 401 unauthorized, -103 invalid argument, …).</summary>
    public int Code { get; } = code;
}

/// <summary>Pure parsers of Shelly's payloads, Gen1 REST and Gen2+ RPC, into SDK units (W, V, A, Wh).</summary>
public static class ShellyPayloads
{
    /// <summary>Parses <c>GET /shelly</c>.</summary>
    public static ShellyInfo Info(string json)
    {
        var root = Parse(json, "/shelly answer");
        var generation = (int)(Number(root, "gen") ?? 1);
        return generation < 2
            ? new ShellyInfo(1, Text(root, "type") ?? "?", null, Bool(root, "auth") ?? false, null)
            : new ShellyInfo(generation, Text(root, "model") ?? Text(root, "app") ?? "?", Text(root, "id"), Bool(root, "auth_en") ?? false, Text(root, "profile"));
    }

    /// <summary>The energy meter of a Gen1 3EM or EM (<c>GET /status</c>): <c>emeters[]</c>, counters in Wh.</summary>
    public static ShellyEnergyMeter Gen1EnergyMeter(string json)
    {
        var root = Parse(json, "Gen1 status");
        var emeters = Array(root, "emeters").ToList();
        if (emeters.Count == 0)
        {
            throw new FormatException("the Shelly Gen1 status has no emeters: is this a 3EM or EM? (use Role = Consumer or PvInverter for a PM device)");
        }
        var phases = emeters.Select(e => new ShellyPhase(Required(e, "power", "emeter"), Number(e, "current"), Number(e, "voltage"), Number(e, "pf"))).ToList();
        return new ShellyEnergyMeter(phases, Number(root, "total_power") ?? phases.Sum(p => p.PowerW),
            emeters.Sum(e => Number(e, "total") ?? 0), emeters.Sum(e => Number(e, "total_returned") ?? 0));
    }

    /// <summary>Channel <paramref name="channel"/> of a Gen1 PM device (<c>GET /status</c>): <c>meters[]</c> in Watt-minutes, <c>relays[]</c>.</summary>
    public static ShellySwitchStatus Gen1Switch(string json, int channel)
    {
        var root = Parse(json, "Gen1 status");
        var meters = Array(root, "meters").ToList();
        var relays = Array(root, "relays").ToList();
        if (channel >= meters.Count && channel >= relays.Count)
        {
            throw new FormatException($"the Shelly Gen1 status has no meter or relay {channel} ({meters.Count} meter(s), {relays.Count} relay(s)); check Channel");
        }
        var meter = channel < meters.Count ? meters[channel] : (JsonElement?)null;
        return new ShellySwitchStatus(
            channel < relays.Count ? Bool(relays[channel], "ison") : null,
            meter is { } m ? Number(m, "power") ?? 0 : 0,
            null, null,
            meter is { } withTotal && Number(withTotal, "total") is { } wattMinutes ? wattMinutes / 60 : null,
            null,
            Number(root, "temperature"));
    }

    /// <summary>A Gen1 relay's state from <c>GET /relay/N?turn=…</c> or <c>GET /relay/N</c>.</summary>
    public static bool Gen1Relay(string json) =>
        Bool(Parse(json, "relay answer"), "ison") ?? throw new FormatException("the Shelly relay answer has no ison");

    /// <summary>A Pro 3EM from <c>EM.GetStatus</c> and <c>EMData.GetStatus</c> (counters in Wh).</summary>
    public static ShellyEnergyMeter Gen2ThreePhase(string emJson, string? emDataJson)
    {
        var em = Parse(emJson, "EM.GetStatus result");
        var phases = new[] { "a", "b", "c" }
            .Select(p => new ShellyPhase(Required(em, $"{p}_act_power", "EM status"), Number(em, $"{p}_current"), Number(em, $"{p}_voltage"), Number(em, $"{p}_pf")))
            .ToList();
        var data = emDataJson is null ? (JsonElement?)null : Parse(emDataJson, "EMData.GetStatus result");
        return new ShellyEnergyMeter(phases, Number(em, "total_act_power") ?? phases.Sum(p => p.PowerW),
            data is { } d ? Number(d, "total_act") : null, data is { } r ? Number(r, "total_act_ret") : null);
    }

    /// <summary>One channel of a Pro EM (or a Pro 3EM in monophase) from <c>EM1.GetStatus</c> and <c>EM1Data.GetStatus</c>.</summary>
    public static ShellyEnergyMeter Gen2SinglePhase(string em1Json, string? em1DataJson)
    {
        var em1 = Parse(em1Json, "EM1.GetStatus result");
        var phase = new ShellyPhase(Required(em1, "act_power", "EM1 status"), Number(em1, "current"), Number(em1, "voltage"), Number(em1, "pf"));
        var data = em1DataJson is null ? (JsonElement?)null : Parse(em1DataJson, "EM1Data.GetStatus result");
        return new ShellyEnergyMeter([phase], phase.PowerW,
            data is { } d ? Number(d, "total_act_energy") : null, data is { } r ? Number(r, "total_act_ret_energy") : null);
    }

    /// <summary>
    /// A Gen2+ <c>Switch.GetStatus</c> or <c>PM1.GetStatus</c> result. With <c>ret_aenergy</c> the device counts both ways in
    /// <c>aenergy</c>, so the forward energy is its total minus the returned one.
    /// </summary>
    public static ShellySwitchStatus Gen2Switch(string json)
    {
        var root = Parse(json, "Switch.GetStatus result");
        var total = Object(root, "aenergy") is { } a ? Number(a, "total") : null;
        var returned = Object(root, "ret_aenergy") is { } r ? Number(r, "total") : null;
        return new ShellySwitchStatus(Bool(root, "output"), Required(root, "apower", "switch status"), Number(root, "voltage"), Number(root, "current"),
            total is { } t ? t - (returned ?? 0) : null, returned, Object(root, "temperature") is { } temperature ? Number(temperature, "tC") : null);
    }

    /// <summary>
    /// The result of an RPC answer: a frame's <c>result</c>, or the bare result of a GET; a frame's <c>error</c> (or a bare
    /// <c>{"code","message"}</c> body) is a <see cref="ShellyRpcException"/>.
    /// </summary>
    public static string RpcResult(string json)
    {
        var root = Parse(json, "RPC answer");
        if (Object(root, "error") is { } error)
        {
            throw new ShellyRpcException((int)(Number(error, "code") ?? 0), Text(error, "message") ?? "no message");
        }
        if (root.TryGetProperty("result", out var result))
        {
            return result.GetRawText();
        }
        if (Number(root, "code") is { } code && Text(root, "message") is { } message && root.EnumerateObject().Count() == 2)
        {
            throw new ShellyRpcException((int)code, message);
        }
        return root.GetRawText();
    }
}
