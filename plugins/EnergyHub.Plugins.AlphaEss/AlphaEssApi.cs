using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EnergyHub.Plugins.AlphaEss;

/// <summary>The OpenAPI's signing and envelope rules.</summary>
public static class AlphaEssApi
{
    /// <summary>The <c>sign</c> header: lower-case hex SHA-512 of appId + appSecret + timeStamp.</summary>
    public static string Sign(string appId, string appSecret, long unixSeconds) =>
        Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(appId + appSecret + unixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    /// <summary>What a return code means and what to do about it.</summary>
    public static string Explain(int code) => code switch
    {
        6001 => "parameter error (check SystemSn)",
        6002 => "the system is not bound to this account (bind it in the developer portal)",
        6005 => "the AppID is not bound to this system (bind it in the developer portal)",
        6006 => "timestamp rejected: this machine's clock is more than 300 s off (fix the clock, e.g. with NTP)",
        6007 => "signature rejected: check AppId and AppSecret",
        6038 => "the system serial does not exist (check SystemSn)",
        6042 => "the system is offline at AlphaESS",
        6053 => "requests too fast (AlphaESS rate limit); backing off",
        _ => "see AlphaESS's return code list",
    };

    /// <summary>
    /// The <c>data</c> of an envelope; throws <see cref="AlphaEssException"/> when <c>code</c> is not 200 and
    /// <see cref="FormatException"/> when the text is not an AlphaESS envelope at all.
    /// </summary>
    public static JsonElement Data(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var code = root.GetProperty("code").GetInt32();
            if (code != 200)
            {
                var message = root.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String ? msg.GetString() : null;
                throw new AlphaEssException(code, $"AlphaESS answered code {code} ({message}): {Explain(code)}");
            }
            return root.GetProperty("data").Clone();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"not an AlphaESS answer (expected {{\"code\": 200, \"data\": ...}}): {ex.Message}", ex);
        }
    }
}

/// <summary>An AlphaESS API error with its return code.</summary>
public sealed class AlphaEssException(int code, string message) : IOException(message)
{
    /// <summary>The return code.</summary>
    public int Code { get; } = code;
}
