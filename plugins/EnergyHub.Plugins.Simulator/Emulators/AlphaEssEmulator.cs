using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EnergyHub.Plugins.Simulator.Site;

namespace EnergyHub.Plugins.Simulator.Emulators;

/// <summary>
/// AlphaESS's OpenAPI (<c>/api/getEssList</c>, <c>/api/getLastPowerData</c>) on 127.0.0.1, backed by a
/// <see cref="SimulatedSite"/>, in AlphaESS's signs (pbat + discharging, pgrid + importing). Checks appId, the 300 s
/// timestamp window and the SHA-512 signature, and answers 6053 when asked more often than every
/// <paramref name="minInterval"/>.
/// </summary>
public sealed class AlphaEssEmulator(SimulatedSite site, string appId, string appSecret, TimeSpan minInterval, TimeProvider time) : HttpEmulator
{
    /// <summary>The emulated system's serial.</summary>
    public const string SystemSn = "AL2002017100001";

    private DateTimeOffset _lastData = DateTimeOffset.MinValue;

    /// <inheritdoc />
    protected override EmulatorResponse Answer(string pathAndQuery, Func<string, string?> header)
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
        if (header("sign") != expected)
        {
            return Envelope(6007, "Sign verification error");
        }
        var path = pathAndQuery.Split('?')[0];
        switch (path)
        {
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
