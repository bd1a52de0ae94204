using System.Globalization;
using System.Text.Json;
using EnergyHub.Protocols.Http;
using EnergyHub.Readings;

namespace EnergyHub.Plugins.GoE;

/// <summary>
/// One go-e status, in SDK units whichever API it came from: v2's typed JSON and v1's strings in tenths (current
/// 0.1 A, phase power 0.1 kW, total power 0.01 kW, energy 0.1 kWh, session energy in deca-watt-seconds) become A, W
/// and Wh here, once. Values the API does not have are null.
/// </summary>
public sealed record GoEStatus
{
    /// <summary>The API the status came from.</summary>
    public required GoEApi Api { get; init; }

    /// <summary>go-e's car code as sent (null: no contact to the charge controller).</summary>
    public int? CarCode { get; init; }

    /// <summary>Whether the charger's logic lets the car charge now (<c>alw</c>).</summary>
    public bool Allowed { get; init; }

    /// <summary>The current the car may draw now, A (<c>acu</c>, v2; null when not allowed).</summary>
    public int? AllowedCurrentA { get; init; }

    /// <summary>The requested current, whole A (<c>amp</c>).</summary>
    public int RequestedCurrentA { get; init; }

    /// <summary>The highest current <c>amp</c> may be set to, A (<c>ama</c>, v2).</summary>
    public int? MaxCurrentA { get; init; }

    /// <summary>The lowest charging current, A (<c>mca</c>, v2).</summary>
    public int? MinCurrentA { get; init; }

    /// <summary>The cable's current limit, A (<c>cbl</c>; null or 0 = no cable coding).</summary>
    public int? CableLimitA { get; init; }

    /// <summary>The force state (<c>frc</c>, v2).</summary>
    public GoEForce? Force { get; init; }

    /// <summary>The phase switch mode: 0 auto, 1 one phase, 2 three phases (<c>psm</c>, v2 with the relay).</summary>
    public int? PhaseSwitchMode { get; init; }

    /// <summary>The phases in use: <c>pnp</c> (v2), or those carrying current, else switched through (v1).</summary>
    public int Phases { get; init; }

    /// <summary>Voltage L1, L2, L3, V.</summary>
    public required IReadOnlyList<double> VoltagesV { get; init; }

    /// <summary>Current L1, L2, L3, A.</summary>
    public required IReadOnlyList<double> CurrentsA { get; init; }

    /// <summary>Total charging power, W.</summary>
    public double PowerW { get; init; }

    /// <summary>Energy ever charged, Wh (<c>eto</c>).</summary>
    public double? TotalEnergyWh { get; init; }

    /// <summary>Energy since the car was connected, Wh (<c>wh</c> v2, <c>dws</c> v1).</summary>
    public double? SessionEnergyWh { get; init; }

    /// <summary>The highest temperature reported, °C (<c>tma</c>, or v1's <c>tmp</c>).</summary>
    public double? TemperatureC { get; init; }

    /// <summary>The error code (<c>err</c>; 0 = none).</summary>
    public int? ErrorCode { get; init; }

    /// <summary>Why it is or is not charging (<c>modelStatus</c>, v2).</summary>
    public int? ModelStatusCode { get; init; }

    /// <summary>Firmware version (<c>fwv</c>).</summary>
    public string? Firmware { get; init; }

    /// <summary>The error, named (null when there is none).</summary>
    public string? Error => ErrorCode is { } code and not 0 ? GoENames.Error(code, Api) : null;

    /// <summary>The charging reason, named (null on v1).</summary>
    public string? ModelStatus => ModelStatusCode is { } code ? GoENames.ModelStatus(code) : null;

    /// <summary>The car state in SDK terms: no car, connected, charging, or error.</summary>
    public EvCarState Car => CarCode switch
    {
        1 => EvCarState.Disconnected,
        2 => EvCarState.Charging,
        3 or 6 => EvCarState.Connected,
        4 => EvCarState.Complete,
        _ => EvCarState.Error,
    };

    /// <summary>The SDK reading: the current offered is <see cref="RequestedCurrentA"/> while charging is allowed, else 0.</summary>
    public EvChargerReading ToReading() => new(Car, PowerW, Allowed ? RequestedCurrentA : 0, Phases)
    {
        SessionEnergyWh = SessionEnergyWh,
        TotalEnergyWh = TotalEnergyWh,
        L1CurrentA = CurrentsA[0],
        L2CurrentA = CurrentsA[1],
        L3CurrentA = CurrentsA[2],
        TemperatureC = TemperatureC,
        StateCode = CarCode,
        Reason = ModelStatus,
        Error = Error,
    };

    /// <summary>Parses a status body of <paramref name="api"/> (v1's cloud wrapper <c>{"success":…,"data":{…}}</c> included).</summary>
    /// <exception cref="FormatException">Not a go-e status: not JSON, or without <c>car</c>, <c>amp</c> or a 16-value <c>nrg</c>.</exception>
    public static GoEStatus Parse(string json, GoEApi api)
    {
        if (api == GoEApi.Auto)
        {
            throw new ArgumentException("parse a status of a known API: V2 or V1", nameof(api));
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the go-e status is not JSON: {ex.Message}", ex);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            {
                root = data;
            }
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("the go-e status is not a JSON object");
            }
            var nrg = Numbers(root, "nrg");
            if (nrg is not { Count: 16 })
            {
                throw new FormatException($"the go-e status has no 16-value nrg (it has {(nrg is null ? "none" : $"{nrg.Count} values")})");
            }
            if (!root.TryGetProperty("amp", out _) || !root.TryGetProperty("car", out _))
            {
                throw new FormatException("the go-e status lacks car or amp; is this a go-e charger?");
            }
            return api == GoEApi.V2 ? V2(root, nrg) : V1(root, nrg);
        }
    }

    private static GoEStatus V2(JsonElement root, IReadOnlyList<double> nrg) => new()
    {
        Api = GoEApi.V2,
        CarCode = Int(root, "car"),
        Allowed = Bool(root, "alw") ?? false,
        AllowedCurrentA = Int(root, "acu"),
        RequestedCurrentA = Int(root, "amp") ?? 0,
        MaxCurrentA = Int(root, "ama"),
        MinCurrentA = Int(root, "mca"),
        CableLimitA = Int(root, "cbl"),
        Force = Int(root, "frc") is { } frc && Enum.IsDefined((GoEForce)frc) ? (GoEForce)frc : null,
        PhaseSwitchMode = Int(root, "psm"),
        Phases = Int(root, "pnp") ?? CountPhases([nrg[4], nrg[5], nrg[6]], null),
        VoltagesV = [nrg[0], nrg[1], nrg[2]],
        CurrentsA = [nrg[4], nrg[5], nrg[6]],
        PowerW = nrg[11],
        TotalEnergyWh = Double(root, "eto"),
        SessionEnergyWh = Double(root, "wh"),
        TemperatureC = Numbers(root, "tma") is { Count: > 0 } temperatures ? temperatures.Max() : null,
        ErrorCode = Int(root, "err"),
        ModelStatusCode = Int(root, "modelStatus"),
        Firmware = Text(root, "fwv"),
    };

    private static GoEStatus V1(JsonElement root, IReadOnlyList<double> nrg)
    {
        double[] currents = [nrg[4] / 10, nrg[5] / 10, nrg[6] / 10];
        return new GoEStatus
        {
            Api = GoEApi.V1,
            CarCode = Int(root, "car"),
            Allowed = Int(root, "alw") == 1,
            RequestedCurrentA = Int(root, "amx") ?? Int(root, "amp") ?? 0,
            CableLimitA = Int(root, "cbl"),
            Phases = CountPhases(currents, Int(root, "pha")),
            VoltagesV = [nrg[0], nrg[1], nrg[2]],
            CurrentsA = currents,
            PowerW = nrg[11] * 10,
            TotalEnergyWh = Double(root, "eto") * 100,
            SessionEnergyWh = Double(root, "dws") / 360,
            TemperatureC = Numbers(root, "tma") is { Count: > 0 } temperatures ? temperatures.Max() : Double(root, "tmp"),
            ErrorCode = Int(root, "err"),
            Firmware = Text(root, "fwv"),
        };
    }

    // The phases carrying current; with none, those switched through (v1's pha bits 0-2 = L1-L3 after the contactor); at least 1.
    private static int CountPhases(double[] currentsA, int? phaseBits)
    {
        var carrying = currentsA.Count(a => a >= 0.5);
        if (carrying > 0)
        {
            return carrying;
        }
        return phaseBits is { } bits ? Math.Max(1, System.Numerics.BitOperations.PopCount((uint)(bits & 0b111))) : 1;
    }

    private const string What = "the go-e status";

    private static double? Double(JsonElement root, string key) => JsonFields.Number(root, key, What);

    private static int? Int(JsonElement root, string key) => Double(root, key) is { } value ? (int)Math.Round(value) : null;

    private static bool? Bool(JsonElement root, string key) => JsonFields.Bool(root, key);

    private static string? Text(JsonElement root, string key) => JsonFields.Text(root, key);

    private static List<double>? Numbers(JsonElement root, string key) =>
        root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e.GetDouble()
                : e.ValueKind == JsonValueKind.String && double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
                : throw new FormatException($"the go-e status's {key} holds a non-number: {e.GetRawText()}"))]
            : null;
}
