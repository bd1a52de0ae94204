using System.Security.Cryptography;
using System.Text;
using EnergyHub.Core.Config;
using Microsoft.AspNetCore.Http;

namespace EnergyHub.Web.Security;

/// <summary>
/// Who may do what: every request that changes something needs the key (<c>[Web] ApiKey</c>, or the one generated into
/// the DataDir: <see cref="GeneratedApiKey"/>), reads need it with <c>[Web] ProtectReads</c>. The key comes in the
/// <c>X-Api-Key</c> header or as the session cookie the page gets from <c>POST /api/login</c> (a hash of the key, HttpOnly and SameSite=Strict, so other sites cannot send it).
/// Comparisons take the same time whatever the candidate.
/// </summary>
public sealed class ApiKeyCheck
{
    /// <summary>The header that carries the key.</summary>
    public const string Header = "X-Api-Key";

    /// <summary>The page's session cookie.</summary>
    public const string Cookie = "energyhub_session";

    /// <summary>The route that trades the key for the session cookie.</summary>
    public const string LoginPath = "/api/login";

    // The page and its script, style and chart library hold no data: the page must load to ask for the key.
    private static readonly string[] PublicPaths = ["/", "/app.js", "/app.css", "/lib/uplot.js", "/lib/uplot.css", LoginPath, .. Endpoints.PageModules.Select(m => $"/js/{m}")];
    private readonly WebOptions _web;
    private readonly byte[] _keyHash;
    private readonly byte[] _sessionHash;

    /// <summary>A check for <paramref name="key"/> under <paramref name="web"/>'s rules.</summary>
    public ApiKeyCheck(WebOptions web, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _web = web;
        _keyHash = Hash(key);
        Session = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), "energyhub page session v1"u8));
        _sessionHash = Hash(Session);
    }

    /// <summary>The session cookie's value: derived from the key, so changing the key ends every session.</summary>
    public string Session { get; }

    /// <summary>Whether <paramref name="candidate"/> is the key.</summary>
    public bool IsKey(string? candidate) => candidate is not null && CryptographicOperations.FixedTimeEquals(Hash(candidate), _keyHash);

    /// <summary>Whether <paramref name="request"/> must carry the key and does not.</summary>
    public bool Refuses(HttpRequest request)
    {
        if (PublicPaths.Contains(request.Path.Value, StringComparer.Ordinal))
        {
            return false;
        }
        var reads = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);
        if (reads && !_web.ProtectReads)
        {
            return false;
        }
        var cookie = request.Cookies[Cookie];
        return !IsKey(request.Headers[Header].FirstOrDefault())
            && !(cookie is not null && CryptographicOperations.FixedTimeEquals(Hash(cookie), _sessionHash));
    }

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
