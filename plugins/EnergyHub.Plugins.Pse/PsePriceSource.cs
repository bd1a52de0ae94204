using System.Net.Http.Headers;
using EnergyHub.Devices;
using EnergyHub.Protocols.Http;
using EnergyHub.Readings;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins.Pse;

/// <summary>
/// Day-ahead prices for today and tomorrow from PSE's raporty API. Tomorrow is published in the early afternoon;
/// before that it is simply absent. Fetched once per <see cref="PseOptions.FetchInterval"/> and cached on disk.
/// </summary>
public sealed class PsePriceSource : IPriceSource, IDisposable
{
    private readonly PseOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly CachedPriceFetcher _fetcher;

    /// <summary>Creates the driver; <paramref name="handler"/> replaces the network in tests.</summary>
    public PsePriceSource(PseOptions options, Plugins.DeviceContext context, HttpMessageHandler? handler = null)
    {
        _options = options;
        _logger = context.Logger;
        _time = context.Time;
        Id = context.Id;
        var baseUrl = ApiAddress.WithTrailingSlash(options.BaseUrl);
        _http = PluginHttp.Create(context.Services, "pse", handler);
        (_http.BaseAddress, _http.Timeout) = (baseUrl, options.Timeout);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _fetcher = new CachedPriceFetcher(Id, new PriceSeriesCache(Path.Combine(context.DataDir, "prices.json")), options.FetchInterval, context.Time, context.Logger);
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public string DisplayName => "PSE day-ahead prices";

    /// <inheritdoc />
    public string Currency => "PLN";

    /// <inheritdoc />
    public ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken) =>
        new(_fetcher.ReadAsync(FetchAsync, cancellationToken));

    private async Task<PriceSeries> FetchAsync(CancellationToken cancellationToken)
    {
        var today = PseRows.LocalDate(_time.GetUtcNow());
        var import = await DaysAsync(_options.ImportPriceFrom, today, cancellationToken).ConfigureAwait(false);
        if (!import.Any(r => r.BusinessDate == today))
        {
            throw new PriceFetchException($"PSE has no {Report(_options.ImportPriceFrom)} prices for today ({today:yyyy-MM-dd}) yet");
        }
        var feedIn = _options.FeedInPriceFrom == PseReport.None ? null
            : _options.FeedInPriceFrom == _options.ImportPriceFrom ? import
            : await DaysAsync(_options.FeedInPriceFrom, today, cancellationToken).ConfigureAwait(false);
        var series = PsePrices.Build(import, feedIn, _options, today);
        _logger.LogDebug("{Device}: {Count} intervals, tomorrow {Tomorrow}", Id, series.Intervals.Count,
            import.Any(r => r.BusinessDate > today) ? "published" : "not published yet");
        return series;
    }

    private async Task<List<PseRow>> DaysAsync(PseReport report, DateOnly today, CancellationToken cancellationToken)
    {
        var rows = new List<PseRow>();
        foreach (var day in new[] { today, today.AddDays(1) })
        {
            string? url = $"{Report(report)}?$filter=business_date%20eq%20%27{day:yyyy-MM-dd}%27&$first=200";
            while (url is not null)
            {
                using var response = await _http.GetAsync(url, cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw new PriceFetchException($"PSE answered HTTP {(int)response.StatusCode} for {Report(report)} {day:yyyy-MM-dd}: {body[..Math.Min(body.Length, 200)]}");
                }
                var (page, next) = PseRows.Parse(body, report == PseReport.Rce ? "rce_pln" : "csdac_pln");
                rows.AddRange(page);
                url = next;
            }
        }
        return rows;
    }

    private static string Report(PseReport report) => report == PseReport.Rce ? "rce-pln" : "csdac-pln";

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
