using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EnergyHub.Devices;
using EnergyHub.Protocols.Http;
using EnergyHub.Readings;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins.Amber;

/// <summary>
/// Prices of one Amber site: the current interval plus <see cref="AmberOptions.Next"/> forecast intervals, fetched
/// once per <see cref="AmberOptions.FetchInterval"/>, cached on disk, with 429 back-off on the server's reset header.
/// </summary>
public sealed class AmberPriceSource : IPriceSource, IDisposable
{
    private readonly AmberOptions _options;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly CachedPriceFetcher _fetcher;
    private string? _siteId;

    /// <summary>Creates the driver; <paramref name="handler"/> replaces the network in tests.</summary>
    public AmberPriceSource(AmberOptions options, Plugins.DeviceContext context, HttpMessageHandler? handler = null)
    {
        _options = options;
        _logger = context.Logger;
        Id = context.Id;
        _siteId = options.SiteId.Length > 0 ? options.SiteId : null;
        var baseUrl = ApiAddress.WithTrailingSlash(options.BaseUrl);
        _http = PluginHttp.Create(context.Services, "amber", handler);
        (_http.BaseAddress, _http.Timeout) = (baseUrl, options.Timeout);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _fetcher = new CachedPriceFetcher(Id, new PriceSeriesCache(Path.Combine(context.DataDir, "prices.json")), options.FetchInterval, context.Time, context.Logger);
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public string DisplayName => "Amber Electric prices";

    /// <inheritdoc />
    public string Currency => "AUD";

    /// <inheritdoc />
    public ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken) =>
        new(_fetcher.ReadAsync(FetchAsync, cancellationToken));

    private async Task<PriceSeries> FetchAsync(CancellationToken cancellationToken)
    {
        _siteId ??= await DiscoverSiteAsync(cancellationToken).ConfigureAwait(false);
        var json = await GetAsync($"sites/{Uri.EscapeDataString(_siteId)}/prices/current?next={_options.Next}&previous=0", cancellationToken).ConfigureAwait(false);
        var notes = new List<string>();
        var series = AmberPrices.Parse(json, notes);
        foreach (var note in notes)
        {
            _logger.LogDebug("{Device}: {Note}", Id, note);
        }
        if (series.Intervals.Count == 0)
        {
            throw new PriceFetchException($"Amber returned no general-channel prices for site {_siteId}");
        }
        return series with { RawPayload = json };
    }

    /// <summary>The account's only active site; with several, an error listing them so the user can set SiteId.</summary>
    private async Task<string> DiscoverSiteAsync(CancellationToken cancellationToken)
    {
        var json = await GetAsync("sites", cancellationToken).ConfigureAwait(false);
        List<(string Id, string Nmi, string Network, string Status)> sites;
        try
        {
            using var document = JsonDocument.Parse(json);
            sites = document.RootElement.EnumerateArray().Select(s => (
                s.GetProperty("id").GetString()!,
                s.TryGetProperty("nmi", out var nmi) ? nmi.GetString() ?? "" : "",
                s.TryGetProperty("network", out var network) ? network.GetString() ?? "" : "",
                s.TryGetProperty("status", out var status) ? status.GetString() ?? "" : "")).ToList();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException($"/sites: {ex.Message}", ex);
        }
        var active = sites.Where(s => s.Status == "active").ToList();
        if (active.Count == 1)
        {
            _logger.LogInformation("{Device}: using Amber site {Site} (NMI {Nmi}, {Network}); set SiteId = {Site} to pin it",
                Id, active[0].Id, active[0].Nmi, active[0].Network, active[0].Id);
            return active[0].Id;
        }
        var listed = sites.Count == 0 ? "none" : string.Join("; ", sites.Select(s => $"{s.Id} (NMI {s.Nmi}, {s.Network}, {s.Status})"));
        throw new PriceFetchException($"the Amber account has {active.Count} active site(s), so SiteId must be set in [Device:{Id}]. Sites: {listed}");
    }

    private async Task<string> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var reset = Seconds(response, "RateLimit-Reset");
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                if (Seconds(response, "RateLimit-Remaining") is { TotalSeconds: 0 } && reset is { } wait)
                {
                    _logger.LogWarning("{Device}: Amber's rate limit is used up for this window; the next request waits {Seconds:0} s", Id, wait.TotalSeconds);
                }
                return body;
            case HttpStatusCode.TooManyRequests:
                var retry = reset ?? TimeSpan.FromMinutes(1);
                throw new PriceFetchException($"Amber's rate limit (50 requests per 5 minutes per account) is exceeded; waiting {retry.TotalSeconds:0} s as the server says. Is another program using the same account?", retry);
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new PriceFetchException($"Amber rejected the API key (HTTP {(int)response.StatusCode}); check ApiKey in [Device:{Id}] or ENERGYHUB_Device__{Id}__ApiKey");
            case HttpStatusCode.NotFound:
                throw new PriceFetchException($"Amber does not know site '{_siteId}' (HTTP 404); leave SiteId empty to use or list the account's sites");
            default:
                throw new PriceFetchException($"Amber answered HTTP {(int)response.StatusCode} to {path}: {body[..Math.Min(body.Length, 200)]}");
        }
    }

    private static TimeSpan? Seconds(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values)
        && double.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
