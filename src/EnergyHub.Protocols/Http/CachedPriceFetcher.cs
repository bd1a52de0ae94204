using EnergyHub.Readings;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Protocols.Http;

/// <summary>
/// The part every HTTP price driver shares: fetch no more often than <c>fetchInterval</c> however often the device is
/// polled; keep the last good series in memory and on disk; when a fetch fails, log the reason once per outage (and
/// once when fetches work again) and keep serving the last good series with its original fetch time, so its age grows and the device turns
/// Stale rather than losing prices it already knew; retry a failure after 30 s, or after a rate limit's retry-after.
/// </summary>
public sealed class CachedPriceFetcher(string deviceId, PriceSeriesCache cache, TimeSpan fetchInterval, TimeProvider time, ILogger logger)
{
    /// <summary>After a failure without a retry-after, the next try comes this soon (or at the fetch interval, when shorter).</summary>
    public static readonly TimeSpan ErrorRetry = TimeSpan.FromSeconds(30);

    private (PriceSeries Series, DateTimeOffset FetchedAt)? _last;
    private bool _loaded;
    private DateTimeOffset _nextFetch;
    private string? _lastProblem;

    /// <summary>The last good series, fetched now if it is due.</summary>
    /// <param name="fetch">Fetches a fresh series; throws <see cref="PriceFetchException"/> (or any I/O error) on failure.</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <exception cref="PriceFetchException">The fetch failed and no series was ever fetched or cached.</exception>
    public async Task<DeviceReading> ReadAsync(Func<CancellationToken, Task<PriceSeries>> fetch, CancellationToken cancellationToken)
    {
        if (!_loaded)
        {
            _loaded = true;
            _last = cache.Load();
            if (_last is { } cached)
            {
                logger.LogInformation("{Device}: loaded {Count} cached price intervals fetched at {FetchedAt:u}", deviceId, cached.Series.Intervals.Count, cached.FetchedAt);
            }
        }
        var now = time.GetUtcNow();
        if (now < _nextFetch)
        {
            return _last is { } due ? Reading(due) : throw new PriceFetchException(_lastProblem ?? "waiting before the next fetch");
        }

        try
        {
            var series = await fetch(cancellationToken).ConfigureAwait(false);
            _last = (series, now);
            _nextFetch = now + fetchInterval;
            if (_lastProblem is not null)
            {
                logger.LogInformation("{Device}: prices fetched again ({Count} intervals)", deviceId, series.Intervals.Count);
                _lastProblem = null;
            }
            await SaveAsync(series, now, cancellationToken).ConfigureAwait(false);
            return Reading(_last.Value);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Any failure of the fetch (a body of another shape throws InvalidOperationException or JsonException from the
            // parser) falls back on the cache: a price source must never lose prices it knew.
            var problem = ex switch
            {
                PriceFetchException => ex.Message,
                FormatException or InvalidOperationException or KeyNotFoundException or System.Text.Json.JsonException or IndexOutOfRangeException =>
                    $"the response is not what the API documents ({ex.Message})",
                TaskCanceledException => "the request timed out",
                _ => $"the request failed: {ex.GetBaseException().Message}",
            };
            _nextFetch = now + ((ex as PriceFetchException)?.RetryAfter ?? (fetchInterval < ErrorRetry ? fetchInterval : ErrorRetry));
            // One warning per outage; how the failure looks may change from try to try (reset, broken pipe), which is
            // not a new fault.
            logger.Log(_lastProblem is null ? LogLevel.Warning : LogLevel.Debug, "{Device}: {Problem}{Fallback}", deviceId, problem, _last is { } kept
                ? $"; keeping the prices fetched at {kept.FetchedAt:u} until they are fetched again"
                : "; no prices known yet");
            _lastProblem = problem;
            return _last is { } fallback ? Reading(fallback) : throw new PriceFetchException(problem, inner: ex);
        }
    }

    private string? _saveProblem;

    // A cache that cannot be saved (disk full, read-only) is its own problem, logged once, never a failed fetch.
    private async Task SaveAsync(PriceSeries series, DateTimeOffset fetchedAt, CancellationToken cancellationToken)
    {
        try
        {
            await cache.SaveAsync(series, fetchedAt, cancellationToken).ConfigureAwait(false);
            if (_saveProblem is not null)
            {
                logger.LogInformation("{Device}: the price cache is saved again", deviceId);
                _saveProblem = null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (_saveProblem is null)
            {
                logger.LogWarning("{Device}: could not save the price cache ({Error}); the prices are used, but a restart would not know them", deviceId, ex.Message);
            }
            _saveProblem = ex.Message;
        }
    }

    private static DeviceReading Reading((PriceSeries Series, DateTimeOffset FetchedAt) last) =>
        new() { Timestamp = last.FetchedAt, Prices = last.Series, RawPayload = last.Series.RawPayload };
}
