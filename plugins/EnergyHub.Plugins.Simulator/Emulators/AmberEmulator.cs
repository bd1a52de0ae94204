using System.Globalization;
using System.Text.Json;

namespace EnergyHub.Plugins.Simulator.Emulators;

/// <summary>
/// Amber's <c>/v1/sites</c> and <c>/v1/sites/{id}/prices/current</c>, in Amber's own JSON shape and sign (feed-in
/// <c>perKwh</c> = what the customer pays, so a paid export is negative), serving one of the recorded forecast
/// snapshots in Data/amber-forecast-snapshots-2025.csv shifted to start at the current 5-minute interval. Checks the
/// Bearer key and applies Amber's rate limit (50 requests per 5 minutes).
/// </summary>
public sealed class AmberEmulator(string apiKey, string snapshot, TimeProvider time) : HttpEmulator
{
    /// <summary>The one site this emulated account has.</summary>
    public const string SiteId = "01SIMULATEDSITE00000000000";

    private const int RateLimit = 50;
    private readonly List<SnapshotRow> _rows = SnapshotRow.Load(snapshot);
    private DateTimeOffset _windowStart;
    private int _windowRequests;

    /// <inheritdoc />
    protected override EmulatorResponse Answer(string pathAndQuery, Func<string, string?> header)
    {
        if (header("Authorization") != $"Bearer {apiKey}")
        {
            return new EmulatorResponse(401, "{\"message\":\"Unauthorized\"}");
        }
        var now = time.GetUtcNow();
        if (now - _windowStart >= TimeSpan.FromMinutes(5))
        {
            (_windowStart, _windowRequests) = (now, 0);
        }
        var reset = ((int)Math.Ceiling((_windowStart.AddMinutes(5) - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        if (++_windowRequests > RateLimit)
        {
            return new EmulatorResponse(429, "{\"message\":\"Too Many Requests\"}", new Dictionary<string, string> { ["RateLimit-Reset"] = reset });
        }
        var headers = new Dictionary<string, string>
        {
            ["RateLimit-Limit"] = RateLimit.ToString(CultureInfo.InvariantCulture),
            ["RateLimit-Remaining"] = (RateLimit - _windowRequests).ToString(CultureInfo.InvariantCulture),
            ["RateLimit-Reset"] = reset,
        };
        var path = pathAndQuery.Split('?')[0].TrimEnd('/');
        return path switch
        {
            "/v1/sites" => new EmulatorResponse(200, Sites(), headers),
            $"/v1/sites/{SiteId}/prices/current" => new EmulatorResponse(200, Prices(now, Next(pathAndQuery)), headers),
            _ when path.StartsWith("/v1/sites/", StringComparison.Ordinal) => new EmulatorResponse(404, "{\"message\":\"Site not found\"}"),
            _ => new EmulatorResponse(404, "{\"message\":\"Not found\"}"),
        };
    }

    private static string Sites() => JsonSerializer.Serialize(new[]
    {
        new
        {
            id = SiteId, nmi = "3052282872", network = "Simulated", status = "active", intervalLength = 5,
            channels = new[] { new { identifier = "E1", type = "general", tariff = "A100" }, new { identifier = "B1", type = "feedIn", tariff = "A100" } },
        },
    });

    private string Prices(DateTimeOffset now, int next)
    {
        var slot = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.FromMinutes(5).Ticks, TimeSpan.Zero);
        var shift = slot - _rows.Min(r => r.Start);
        var general = _rows.Where(r => r.Channel == "general").OrderBy(r => r.Start).Take(next + 1).ToList();
        var records = new List<object>();
        foreach (var channel in new[] { "general", "feed_in" })
        {
            foreach (var (row, index) in _rows.Where(r => r.Channel == channel).OrderBy(r => r.Start).Take(general.Count).Select((r, i) => (r, i)))
            {
                var end = row.End + shift;
                records.Add(new Dictionary<string, object?>
                {
                    ["type"] = index == 0 ? "CurrentInterval" : "ForecastInterval",
                    ["date"] = end.ToOffset(TimeSpan.FromHours(10)).AddSeconds(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["duration"] = row.DurationMinutes,
                    ["startTime"] = (end.AddMinutes(-row.DurationMinutes).AddSeconds(1)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    ["endTime"] = end.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    ["nemTime"] = end.ToOffset(TimeSpan.FromHours(10)).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
                    // The snapshot's feed-in is "paid" (Home Assistant's sign); Amber's perKwh is "pays", in cents.
                    ["perKwh"] = Math.Round((channel == "feed_in" ? -row.PerKwh : row.PerKwh) * 100, 5),
                    ["spotPerKwh"] = Math.Round(row.SpotPerKwh * 100, 5),
                    ["renewables"] = row.RenewablesPct,
                    ["channelType"] = channel == "feed_in" ? "feedIn" : "general",
                    ["spikeStatus"] = row.SpikeStatus,
                    ["descriptor"] = row.Descriptor,
                    ["estimate"] = index == 0 ? true : null,
                });
            }
        }
        return JsonSerializer.Serialize(records, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
    }

    private static int Next(string pathAndQuery)
    {
        var query = pathAndQuery.Contains('?') ? pathAndQuery[(pathAndQuery.IndexOf('?') + 1)..] : "";
        var next = query.Split('&').Select(p => p.Split('=')).FirstOrDefault(p => p[0] == "next");
        return next is { Length: 2 } && int.TryParse(next[1], CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    private sealed record SnapshotRow(
        string Channel, DateTimeOffset Start, DateTimeOffset End, int DurationMinutes, double PerKwh, double SpotPerKwh,
        double RenewablesPct, string SpikeStatus, string Descriptor)
    {
        public static List<SnapshotRow> Load(string snapshot)
        {
            using var stream = typeof(AmberEmulator).Assembly.GetManifestResourceStream("amber-forecast-snapshots-2025.csv")!;
            using var reader = new StreamReader(stream);
            var rows = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(line => line.Split(','))
                .Where(f => f[0] == snapshot)
                .Select(f => new SnapshotRow(f[2],
                    DateTimeOffset.Parse(f[4], CultureInfo.InvariantCulture).AddMinutes(-int.Parse(f[6], CultureInfo.InvariantCulture)),
                    DateTimeOffset.Parse(f[4], CultureInfo.InvariantCulture), int.Parse(f[6], CultureInfo.InvariantCulture),
                    double.Parse(f[7], CultureInfo.InvariantCulture), double.Parse(f[8], CultureInfo.InvariantCulture),
                    double.Parse(f[9], CultureInfo.InvariantCulture), f[10], f[11].Trim()))
                .ToList();
            return rows.Count > 0 ? rows : throw new ArgumentException($"no snapshot '{snapshot}' in the Amber data; use scenario1 … scenario5");
        }
    }
}
