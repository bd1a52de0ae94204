using EnergyHub.Core.Fleet;
using EnergyHub.Core.Journal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EnergyHub.Web.Fleet;

/// <summary>
/// The fleet's page (<c>/</c>) and API: <c>/api/fleet</c> (every site with its status, lag, flows, today's energy and
/// page), <c>/api/history</c> over the fleet's journal (series <c>{site}/balance/GridW</c>, <c>{site}/{device}/...</c>)
/// and <c>/metrics</c> (<see cref="FleetMetrics"/>).
/// </summary>
public sealed class FleetEndpoints(FleetState state, SiteJournal? journal, TimeProvider time) : IWebEndpoints
{
    /// <inheritdoc />
    public void Map(WebApplication app)
    {
        app.MapGet("/", () => Results.Content(Endpoints.Asset("fleet.html"), "text/html; charset=utf-8"));
        app.MapGet("/fleet.js", () => Results.Content(Endpoints.Asset("fleet.js"), "text/javascript; charset=utf-8"));
        app.MapGet("/fleet.css", () => Results.Content(Endpoints.Asset("fleet.css"), "text/css; charset=utf-8"));
        app.MapGet("/api/fleet", () => Results.Ok(Document()));
        var metrics = new FleetMetrics(state, journal);
        app.MapGet("/metrics", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.WriteAsync(context.Response.Body, context.RequestAborted);
        });
        HistoryEndpoints.Map(app, journal, time);
    }

    /// <summary>The fleet now, as <c>/api/fleet</c> serves it.</summary>
    public object Document()
    {
        var sites = state.Sites();
        return new
        {
            time = time.GetUtcNow(),
            sites = sites.Select(s => new
            {
                id = s.Id,
                name = s.Summary?.Name ?? s.Id,
                status = s.Status.ToString(),
                ageS = s.Age?.TotalSeconds,
                lagMs = s.Lag?.TotalMilliseconds,
                siteTime = s.Summary?.Time,
                pvW = s.Summary?.PvW,
                gridW = s.Summary?.GridW,
                batteryW = s.Summary?.BatteryW,
                loadW = s.Summary?.LoadW,
                socPct = s.Summary?.SocPct,
                today = s.Summary?.Today is { } t ? new
                {
                    day = t.Day, pvKwh = t.PvKwh, importKwh = t.ImportKwh, exportKwh = t.ExportKwh, loadKwh = t.LoadKwh,
                    selfSufficiencyPct = t.SelfSufficiencyPct, netCost = t.NetCost, currency = t.Currency,
                } : null,
                devices = s.Summary?.Devices,
                page = s.Summary?.Page,
                summaries = s.Summaries,
            }),
            messages = state.Messages,
            rejected = state.Rejected,
            journal = journal is null ? null : new { location = journal.Location, queueDepth = journal.QueueDepth, dropped = journal.Dropped, written = journal.Written, failing = journal.Failing },
        };
    }
}
