using System.Globalization;
using System.Net;

namespace EnergyHub.Plugins.GoE;

/// <summary>
/// HTTP to one go-e charger: its API found once (Auto: v2 if <c>/api/status?filter=alw</c> answers JSON, else v1, and
/// again after the charger stops answering the one found, as after a firmware update), filtered status reads, and
/// writes whose every key is confirmed (v2: the per-key answer; v1: the value in the status it answers with). Through
/// go-e's cloud (a <paramref name="bearerToken"/>) the API is v2 and a write is only queued (HTTP 202): the next read
/// shows whether the charger took it.
/// </summary>
public sealed class GoEClient(HttpClient http, Uri baseAddress, GoEApi configured, string? bearerToken = null)
{
    /// <summary>The v2 keys read on every poll.</summary>
    public const string StatusFilter = "car,alw,acu,amp,ama,mca,cbl,frc,psm,pnp,pha,nrg,eto,wh,err,modelStatus,fwv,tma";

    private readonly bool _cloud = !string.IsNullOrEmpty(bearerToken);
    private readonly GoEApi _configured = string.IsNullOrEmpty(bearerToken) ? configured : GoEApi.V2;
    private GoEApi _resolved = string.IsNullOrEmpty(bearerToken) ? configured : GoEApi.V2;

    /// <summary>The API in use: the configured one, or what Auto found (Auto until then).</summary>
    public GoEApi Api => _resolved;

    /// <summary>The charger's base address from <paramref name="host"/>: <c>192.168.1.30</c>, <c>192.168.1.30:8080</c> or <c>http://192.168.1.30</c>.</summary>
    /// <exception cref="FormatException">Not a host, host:port or http(s) URL.</exception>
    public static Uri BaseAddress(string host) => EnergyHub.Protocols.Http.ApiAddress.OfHost(host, "a go-e charger");

    /// <summary>go-e's cloud address for a charger's serial.</summary>
    public static Uri CloudAddress(string serial) => new($"https://{serial}.api.v3.go-e.io/");

    /// <summary>Reads the status (finding the API first when Auto).</summary>
    public async Task<GoEStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(cancellationToken).ConfigureAwait(false);
        var path = resolved == GoEApi.V2 ? $"api/status?filter={StatusFilter}" : "status";
        var (status, body) = await GetAsync(path, cancellationToken).ConfigureAwait(false);
        if (status == HttpStatusCode.NotFound && _configured == GoEApi.Auto)
        {
            _resolved = GoEApi.Auto; // the charger answers another API now (a firmware update): find it again on the next read
        }
        EnsureSuccess(status, body, path);
        return GoEStatus.Parse(body, resolved);
    }

    /// <summary>
    /// Writes <paramref name="values"/> (key, value as JSON: <c>10</c>, <c>true</c>) in one call (v2) or one call per key
    /// (v1); throws when any key was not applied, naming it and the charger's reason.
    /// </summary>
    public async Task SetAsync(IReadOnlyList<(string Key, string Json)> values, CancellationToken cancellationToken)
    {
        if (values.Count == 0)
        {
            return;
        }
        var resolved = await ResolveAsync(cancellationToken).ConfigureAwait(false);
        if (resolved == GoEApi.V2)
        {
            var query = string.Join('&', values.Select(v => $"{v.Key}={Uri.EscapeDataString(v.Json)}"));
            var (status, body) = await GetAsync($"api/set?{query}", cancellationToken).ConfigureAwait(false);
            if (_cloud && status == HttpStatusCode.Accepted)
            {
                return; // queued by the cloud, not confirmed: the next read checks it
            }
            var perKey = body.TrimStart().StartsWith('{');
            if (perKey && status is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.InternalServerError or HttpStatusCode.UnprocessableEntity
                && GoESetResponse.Refused(body, values.Select(v => v.Key)) is { Count: > 0 } refused)
            {
                throw new IOException($"the go-e charger refused {string.Join("; ", refused.Select(r => $"{r.Key} ({r.Value})"))}");
            }
            EnsureSuccess(status, body, "api/set");
            if (!perKey)
            {
                throw new IOException($"the go-e charger answered api/set without saying which keys it took ({(body.Length > 100 ? body[..100] : body)}); the write is not confirmed");
            }
            return;
        }
        foreach (var (key, json) in values)
        {
            var (status, body) = await GetAsync($"mqtt?payload={key}={Uri.EscapeDataString(json)}", cancellationToken).ConfigureAwait(false);
            EnsureSuccess(status, body, "mqtt");
            // v1 answers with its whole status: the key must now hold the value.
            using var document = System.Text.Json.JsonDocument.Parse(body);
            var now = document.RootElement.TryGetProperty(key, out var value) ? value.ToString() : null;
            if (!string.Equals(now, json, StringComparison.Ordinal))
            {
                throw new IOException($"the go-e charger did not take {key}={json} (it reads {now ?? "nothing"})");
            }
        }
    }

    private async Task<GoEApi> ResolveAsync(CancellationToken cancellationToken)
    {
        if (_resolved != GoEApi.Auto)
        {
            return _resolved;
        }
        var (status, body) = await GetAsync("api/status?filter=alw", cancellationToken).ConfigureAwait(false);
        _resolved = status == HttpStatusCode.OK && body.TrimStart().StartsWith('{') ? GoEApi.V2 : GoEApi.V1;
        return _resolved;
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, pathAndQuery));
        if (!string.IsNullOrEmpty(bearerToken))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        }
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (HttpRequestException ex)
        {
            throw new IOException(_cloud
                ? $"go-e's cloud at {baseAddress} does not answer ({ex.Message}); check Serial and this machine's internet connection"
                : $"the go-e charger at {baseAddress} does not answer ({ex.Message}); check Host and that the local HTTP API is on in the go-e app", ex);
        }
    }

    private void EnsureSuccess(HttpStatusCode status, string body, string path)
    {
        if ((int)status is >= 200 and < 300)
        {
            return;
        }
        var hint = (status, _cloud) switch
        {
            (HttpStatusCode.Forbidden, true) => "; go-e's cloud says the charger is offline or its cloud API is off (the app: Internet / Advanced settings), or ApiToken is wrong",
            (HttpStatusCode.NotFound, true) => "; go-e's cloud has had no data from the charger in the last 30 s: is it online?",
            (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, _) => "; check ApiToken, and that the API is enabled in the go-e app",
            (HttpStatusCode.NotFound, _) => "; is the local HTTP API (v2, or v1) switched on in the go-e app?",
            _ => "",
        };
        throw new IOException(string.Create(CultureInfo.InvariantCulture,
            $"the go-e charger at {baseAddress} answered {(int)status} to {path.Split('?')[0]}{hint}: {(body.Length > 200 ? body[..200] : body)}"));
    }
}
