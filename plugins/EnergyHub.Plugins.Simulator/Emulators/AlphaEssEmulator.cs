using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EnergyHub.Plugins.Simulator.Site;

namespace EnergyHub.Plugins.Simulator.Emulators;

/// <summary>
/// AlphaESS's OpenAPI (<c>/api/getEssList</c>, <c>/api/getLastPowerData</c>, the charge and discharge configuration)
/// on 127.0.0.1, backed by a <see cref="SimulatedSite"/>, in AlphaESS's signs (pbat + discharging, pgrid + importing).
/// Checks appId, the 300 s timestamp window and the SHA-512 signature, and answers 6053 when power data is asked more
/// often than every <paramref name="minInterval"/>. The windows (15-minute grid, site local time) decide the site
/// battery's mode at every request: grid charging to batHighCap inside a charge window, no discharge outside the
/// discharge windows under discharge time control, otherwise self-consumption.
/// </summary>
public sealed class AlphaEssEmulator(SimulatedSite site, string appId, string appSecret, TimeSpan minInterval, TimeProvider time) : HttpEmulator
{
    /// <summary>The emulated system's serial.</summary>
    public const string SystemSn = "AL2002017100001";

    private DateTimeOffset _lastData = DateTimeOffset.MinValue;
    private readonly object _gate = new();
    private AlphaEssChargeWindows _charge = new(0, "01:00", "05:00", "00:00", "00:00", 90);
    private (Devices.BatteryMode, double?) _applied = (Devices.BatteryMode.Auto, null);
    private AlphaEssDischargeWindows _discharge = new(0, "00:00", "00:00", "00:00", "00:00", 10);

    /// <summary>Charge and discharge configuration changes accepted.</summary>
    public int ConfigUpdates { get; private set; }

    /// <summary>The charge windows as set, in the API's shape.</summary>
    public sealed record AlphaEssChargeWindows(int gridCharge, string timeChaf1, string timeChae1, string timeChaf2, string timeChae2, int batHighCap);

    /// <summary>The discharge windows as set, in the API's shape.</summary>
    public sealed record AlphaEssDischargeWindows(int ctrDis, string timeDisf1, string timeDise1, string timeDisf2, string timeDise2, int batUseCap);

    /// <inheritdoc />
    protected override EmulatorResponse Answer(string method, string pathAndQuery, string body, Func<string, string?> header)
    {
        if (Authenticate(header) is { } refused)
        {
            return refused;
        }
        if (method != "POST")
        {
            return new EmulatorResponse(405, "{}");
        }
        try
        {
            lock (_gate)
            {
                switch (pathAndQuery.Split('?')[0])
                {
                    case "/api/updateChargeConfigInfo":
                        var charge = JsonSerializer.Deserialize<AlphaEssChargeWindows>(body)!;
                        if (!OnGrid(charge.timeChaf1, charge.timeChae1, charge.timeChaf2, charge.timeChae2) || charge.batHighCap is < 10 or > 100)
                        {
                            return Envelope(6001, "Parameter error");
                        }
                        _charge = charge;
                        break;
                    case "/api/updateDisChargeConfigInfo":
                        var discharge = JsonSerializer.Deserialize<AlphaEssDischargeWindows>(body)!;
                        if (!OnGrid(discharge.timeDisf1, discharge.timeDise1, discharge.timeDisf2, discharge.timeDise2) || discharge.batUseCap is < 0 or > 100)
                        {
                            return Envelope(6001, "Parameter error");
                        }
                        _discharge = discharge;
                        break;
                    default:
                        return new EmulatorResponse(404, "{}");
                }
                ConfigUpdates++;
                ApplyWindows(time.GetUtcNow());
            }
        }
        catch (JsonException)
        {
            return Envelope(6001, "Parameter error");
        }
        return Envelope(200, "Success");
    }

    private static bool OnGrid(params string[] times) => times.All(t =>
        TimeSpan.TryParseExact(t, "hh\\:mm", CultureInfo.InvariantCulture, out var at) && at.Minutes % 15 == 0 && at <= new TimeSpan(23, 45, 0));

    private void ApplyWindows(DateTimeOffset now)
    {
        var local = site.Local(now).TimeOfDay;
        bool Inside(string from, string to) => from != to && TimeSpan.Parse(from, CultureInfo.InvariantCulture) <= local && local < TimeSpan.Parse(to, CultureInfo.InvariantCulture);
        var (charge, discharge) = (_charge, _discharge);
        var mode = charge.gridCharge == 1 && (Inside(charge.timeChaf1, charge.timeChae1) || Inside(charge.timeChaf2, charge.timeChae2)) ? Devices.BatteryMode.ChargeFromGrid
            : discharge.ctrDis == 1 && !Inside(discharge.timeDisf1, discharge.timeDise1) && !Inside(discharge.timeDisf2, discharge.timeDise2) ? Devices.BatteryMode.Hold
            : Devices.BatteryMode.Auto;
        (Devices.BatteryMode, double?) applied = (mode, mode == Devices.BatteryMode.ChargeFromGrid ? charge.batHighCap : null);
        if (applied != _applied)
        {
            _applied = applied;
            site.SetBatteryMode(now, mode, null, applied.Item2);
        }
    }

    private EmulatorResponse? Authenticate(Func<string, string?> header)
    {
        var now = time.GetUtcNow();
        if (header("appId") != appId)
        {
            return Envelope(6005, "appId is not bound to the SN");
        }
        if (!long.TryParse(header("timeStamp"), CultureInfo.InvariantCulture, out var stamp) || Math.Abs(now.ToUnixTimeSeconds() - stamp) > 300)
        {
            return Envelope(6006, "Timestamp error");
        }
        var expected = Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(appId + appSecret + header("timeStamp"))));
        return header("sign") != expected ? Envelope(6007, "Sign verification error") : null;
    }

    /// <inheritdoc />
    protected override EmulatorResponse Answer(string pathAndQuery, Func<string, string?> header)
    {
        var now = time.GetUtcNow();
        if (Authenticate(header) is { } refused)
        {
            return refused;
        }
        var path = pathAndQuery.Split('?')[0];
        lock (_gate)
        {
            ApplyWindows(now);
        }
        switch (path)
        {
            case "/api/getChargeConfigInfo" when pathAndQuery.Contains($"sysSn={SystemSn}", StringComparison.Ordinal):
                lock (_gate)
                {
                    return Envelope(200, "Success", _charge);
                }
            case "/api/getDisChargeConfigInfo" when pathAndQuery.Contains($"sysSn={SystemSn}", StringComparison.Ordinal):
                lock (_gate)
                {
                    return Envelope(200, "Success", _discharge);
                }
            case "/api/getEssList":
                return Envelope(200, "Success", new[] { new { sysSn = SystemSn, minv = "SIM-INV", mbat = "SIM-BAT", poinv = site.Options.InverterRatedW / 1000, popv = site.Options.PvKwp, cobat = site.Options.BatteryCapacityWh / 1000, surplusCobat = site.Options.BatteryCapacityWh / 1000, usCapacity = 100, emsStatus = "Normal" } });
            case "/api/getLastPowerData" when pathAndQuery.Contains($"sysSn={SystemSn}", StringComparison.Ordinal):
                if (now - _lastData < minInterval)
                {
                    return Envelope(6053, "The request was too fast, please try again later");
                }
                _lastData = now;
                var s = site.Observe(now);
                return Envelope(200, "Success", new
                {
                    ppv = Math.Round(s.PvW, 1), pload = Math.Round(s.LoadW, 1), soc = Math.Round(s.BatterySocPct, 1),
                    pbat = Math.Round(-s.BatteryW, 1), pgrid = Math.Round(s.GridW, 1), pev = Math.Round(s.EvW, 1),
                });
            case "/api/getLastPowerData":
                return Envelope(6038, "system sn does not exist");
            default:
                return new EmulatorResponse(404, "{}");
        }
    }

    private static EmulatorResponse Envelope(int code, string message, object? data = null) =>
        new(200, JsonSerializer.Serialize(new { code, msg = message, expMsg = (string?)null, data, extra = (string?)null }));
}
