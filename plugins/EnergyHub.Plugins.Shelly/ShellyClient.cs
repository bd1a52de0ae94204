using System.Globalization;
using System.Net;

namespace EnergyHub.Plugins.Shelly;

/// <summary>
/// HTTP to one Shelly: <c>/shelly</c> (no authentication on any generation), Gen1 REST (Basic) and Gen2+ RPC by GET
/// (Digest SHA-256 as admin: .NET's handler answers an RFC 7616 SHA-256 challenge correctly, checked against a
/// server that verifies the response). A 401 says to check the password.
/// </summary>
public sealed class ShellyClient(HttpClient http, Uri baseAddress)
{
    /// <summary>The device's base address from <paramref name="host"/>: <c>192.168.1.40</c>, <c>192.168.1.40:8080</c> or <c>http://192.168.1.40</c>.</summary>
    /// <exception cref="FormatException">Not a host, host:port or http URL.</exception>
    public static Uri BaseAddress(string host) => EnergyHub.Protocols.Http.ApiAddress.OfHost(host, "a Shelly");

    /// <summary>A handler that answers Basic (Gen1) and Digest (Gen2+) challenges with <paramref name="user"/> and <paramref name="password"/>.</summary>
    public static HttpMessageHandler Handler(string user, string password) =>
        new SocketsHttpHandler { Credentials = new NetworkCredential(user, password), PooledConnectionLifetime = TimeSpan.FromMinutes(5) };

    /// <summary>How long one request may take before it fails with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>GET /shelly</c>.</summary>
    public async Task<ShellyInfo> InfoAsync(CancellationToken cancellationToken) =>
        ShellyPayloads.Info(await GetAsync("shelly", cancellationToken).ConfigureAwait(false));

    /// <summary>A Gen1 REST path (<c>status</c>, <c>relay/0?turn=on</c>).</summary>
    public Task<string> Gen1Async(string path, CancellationToken cancellationToken) => GetAsync(path, cancellationToken);

    /// <summary>A Gen2+ RPC call by GET (<c>Switch.Set</c>, <c>id=0&amp;on=true</c>); returns the result JSON.</summary>
    /// <exception cref="ShellyRpcException">The device answered with an RPC error (e.g. 404: no such method or component).</exception>
    public async Task<string> RpcAsync(string method, string? query, CancellationToken cancellationToken) =>
        ShellyPayloads.RpcResult(await GetAsync($"rpc/{method}{(query is null ? "" : "?" + query)}", cancellationToken, rpc: true).ConfigureAwait(false));

    private async Task<string> GetAsync(string pathAndQuery, CancellationToken cancellationToken, bool rpc = false)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        HttpResponseMessage response;
        string body;
        try
        {
            response = await http.GetAsync(new Uri(baseAddress, pathAndQuery), timeout.Token).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new IOException($"the Shelly at {baseAddress} does not answer ({ex.Message}); check Host", ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"the Shelly at {baseAddress} did not answer {pathAndQuery.Split('?')[0]} within {RequestTimeout.TotalSeconds:0.###} s (half the PollInterval); is it on the network?"));
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new IOException($"the Shelly at {baseAddress} wants a password, or another one: set Password (and on Gen1 User) in its [Device] section");
            }
            if (rpc && body.TrimStart().StartsWith('{'))
            {
                return body; // an RPC error comes as a JSON body with a non-2xx status: RpcResult names it
            }
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new ShellyRpcException(404, $"the Shelly at {baseAddress} has no {pathAndQuery.Split('?')[0]} (another generation or profile?)");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new IOException(string.Create(CultureInfo.InvariantCulture,
                    $"the Shelly at {baseAddress} answered {(int)response.StatusCode} to {pathAndQuery.Split('?')[0]}: {(body.Length > 200 ? body[..200] : body)}"));
            }
            return body;
        }
    }
}
