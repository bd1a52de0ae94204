using EnergyHub.Readings;

using System.Text.Json;

namespace EnergyHub.Protocols.Http;

/// <summary>
/// Keeps a price source's last good series on disk, so that after a restart without network the prices it already
/// had are still known, with the time they were fetched (which is what their age counts from).
/// </summary>
/// <param name="path">The cache file, usually <c>prices.json</c> in the device's data directory.</param>
public sealed class PriceSeriesCache(string path)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Writes <paramref name="series"/> fetched at <paramref name="fetchedAt"/>, atomically (write, then rename).</summary>
    public async Task SaveAsync(PriceSeries series, DateTimeOffset fetchedAt, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await using (var file = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(file, new Entry(fetchedAt, series.Currency, [.. series.Intervals]), Json, cancellationToken).ConfigureAwait(false);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The cached series and when it was fetched, or null when there is none or it cannot be read.</summary>
    public (PriceSeries Series, DateTimeOffset FetchedAt)? Load()
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }
            var entry = JsonSerializer.Deserialize<Entry>(File.ReadAllText(path), Json);
            return entry is null ? null : (new PriceSeries(entry.Currency, entry.Intervals), entry.FetchedAt);
        }
        catch (Exception ex) when (ex is JsonException or IOException or NotSupportedException)
        {
            return null;
        }
    }

    private sealed record Entry(DateTimeOffset FetchedAt, string Currency, List<PriceInterval> Intervals);
}
