using EnergyHub.Core.Journal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EnergyHub.Web;

/// <summary><c>/api/history</c> and <c>/api/history/series</c> over a journal: the site's page and the fleet's page both serve them.</summary>
internal static class HistoryEndpoints
{
    public static void Map(WebApplication app, SiteJournal? journal, TimeProvider time)
    {
        app.MapGet("/api/history", async (string? series, string? from, string? to, int? points, CancellationToken cancellationToken) =>
        {
            if (journal is null)
            {
                return Results.Problem(title: "No journal", detail: "History needs [Journal] Enabled = true.", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            var known = journal.Series();
            if (string.IsNullOrWhiteSpace(series))
            {
                return Endpoints.Bad("series is required", $"Give series=<device>/<name>, e.g. {known.Select(s => s.Series).FirstOrDefault() ?? "grid/Meter.PowerW"}. Known: {string.Join(", ", known.Select(s => s.Series).Take(50))}");
            }
            var match = known.FirstOrDefault(s => s.Series == series);
            if (match.Series is null)
            {
                return Results.Problem(title: "Unknown series", detail: $"No series '{series}' in the journal. Known: {string.Join(", ", known.Select(s => s.Series).Take(50))}", statusCode: StatusCodes.Status404NotFound);
            }
            var now = time.GetUtcNow();
            if (!Endpoints.TryTime(to, now, out var end) || !Endpoints.TryTime(from, end > DateTimeOffset.MinValue.AddDays(1) ? end.AddDays(-1) : end, out var start) || start >= end)
            {
                return Endpoints.Bad("from and to must be ISO 8601 times with from before to", "e.g. from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z (default: the last 24 h)");
            }
            var count = points ?? 500;
            if (count is < 1 or > 10_000)
            {
                return Endpoints.Bad("points must be 1 to 10000", $"points={count} was given");
            }
            var buckets = await journal.HistoryAsync(series, start, end, count, cancellationToken);
            return Results.Ok(new
            {
                series, unit = match.Unit, from = start, to = end, points = buckets.Select(b => new { start = b.Start, min = b.Min, avg = b.Avg, max = b.Max, count = b.Count }),
            });
        });

        app.MapGet("/api/history/series", () => journal is null
            ? Results.Problem(title: "No journal", detail: "History needs [Journal] Enabled = true.", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Ok(journal.Series().Select(s => new { series = s.Series, device = s.Device, unit = s.Unit })));
    }
}
