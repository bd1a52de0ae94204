using System.Text.Json;
using EnergyHub.Readings;
using System.Globalization;
using System.Reflection;
using System.Text;
using EnergyHub.Core;
using EnergyHub.Core.Commands;
using EnergyHub.Core.Config;
using EnergyHub.Core.Devices;
using EnergyHub.Core.Events;
using EnergyHub.Core.Journal;
using EnergyHub.Core.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyHub.Web;

/// <summary>The HTTP API. JSON with units in field names, ISO 8601 UTC times, RFC 7807 problem details on bad requests.</summary>
public static class Endpoints
{
    private static readonly string Version = typeof(Endpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?";

    // The assembly a device's code was loaded from and its version: after a plugin is replaced, the code that runs.
    private static object CodeOf(Type type) => new
    {
        assembly = type.Assembly.GetName().Name,
        version = type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? type.Assembly.GetName().Version?.ToString(3),
    };

    /// <summary>Maps the site's API; <paramref name="apiKey"/> checks logins, <paramref name="keyConfigured"/> says whether it is the owner's own.</summary>
    public static void Map(WebApplication app, IServiceProvider site, SiteConfig config, Security.ApiKeyCheck apiKey, bool keyConfigured)
    {
        var state = site.GetRequiredService<SiteState>();
        var devices = site.GetRequiredService<DeviceRegistry>();
        var board = site.GetRequiredService<ServiceStatusBoard>();
        var events = site.GetRequiredService<SiteEvents>();
        var audit = site.GetRequiredService<CommandAuditLog>();
        var journal = site.GetService<SiteJournal>();
        var observers = site.GetService<SiteObservers>();
        var time = site.GetRequiredService<TimeProvider>();

        var stream = new LiveStream(events, config.Web);

        app.MapGet("/", () => Results.Content(Asset("index.html"), "text/html; charset=utf-8"));
        app.MapGet("/app.js", () => Results.Content(Asset("app.js"), "text/javascript; charset=utf-8"));
        app.MapGet("/js/{module}", (string module) => PageModules.Contains(module, StringComparer.Ordinal)
            ? Results.Content(Asset($"js/{module}"), "text/javascript; charset=utf-8") : Results.NotFound());
        app.MapGet("/app.css", () => Results.Content(Asset("app.css"), "text/css; charset=utf-8"));
        app.MapGet("/lib/uplot.js", () => Results.Content(Asset("uplot.js"), "text/javascript; charset=utf-8"));
        app.MapGet("/lib/uplot.css", () => Results.Content(Asset("uplot.css"), "text/css; charset=utf-8"));

        app.MapPost(Security.ApiKeyCheck.LoginPath, (HttpContext context) =>
        {
            if (!apiKey.IsKey(context.Request.Headers[Security.ApiKeyCheck.Header].FirstOrDefault()))
            {
                return Results.Problem(title: "Wrong API key", detail: $"Send the API key ([Web] ApiKey, or the one in the DataDir's {Security.GeneratedApiKey.FileName}) in the {Security.ApiKeyCheck.Header} header.",
                    statusCode: StatusCodes.Status401Unauthorized);
            }
            context.Response.Cookies.Append(Security.ApiKeyCheck.Cookie, apiKey.Session,
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true });
            return Results.NoContent();
        });

        app.MapGet("/api/health", () =>
        {
            var snapshot = state.Snapshot();
            var services = board.All();
            var degraded = snapshot.Devices.Values.Any(d => d.Health != Site.DeviceHealth.Online) || services.Any(s => s.State == ServiceState.Failed);
            return Results.Ok(new
            {
                status = degraded ? "degraded" : "ok",
                version = Version,
                time = snapshot.Now,
                devices = snapshot.Devices.Values.Select(d => new { id = d.Id, driver = d.Driver, health = d.Health.ToString(), ageSeconds = d.Age?.TotalSeconds, lastError = d.LastError }),
                services = services.Select(ServiceJson),
                journal = journal is null ? null : new { queueDepth = journal.QueueDepth, dropped = journal.Dropped, written = journal.Written, failing = journal.Failing },
                web = new { apiKey = keyConfigured, loopbackOnly = config.Web.IsLoopbackOnly, protectReads = config.Web.ProtectReads, openStreams = stream.Open },
            });
        });

        app.MapGet("/api/state", () =>
        {
            var snapshot = state.Snapshot();
            return Results.Ok(new
            {
                time = snapshot.Now,
                siteName = config.Common.SiteName,
                timeZone = config.Common.Zone.Id,
                site = SiteEvents.BalanceJson(snapshot.Balance),
                devices = snapshot.Devices.Values.ToDictionary(d => d.Id, d => new
                {
                    health = d.Health.ToString(),
                    roles = d.Facts.Roles.Select(r => r.Name).Order(StringComparer.Ordinal),
                    rolesConfirmed = d.Facts.Confirmed,
                    ageSeconds = d.Age?.TotalSeconds,
                    timestamp = d.Reading?.Timestamp,
                    values = d.Reading is null ? [] : ReadingSeries.Flatten(d.Reading).Select(v => new { series = v.Name, value = v.Value, unit = v.Unit }).ToList(),
                }),
            });
        });

        var today = site.GetRequiredService<Core.Energy.TodayEnergyMeter>();
        app.MapGet("/api/today", () => Results.Ok(today.Today));

        app.MapGet("/api/devices", () => Results.Ok(devices.Sessions.Select(s => new
        {
            id = s.Id, driver = s.Driver, displayName = s.DisplayName,
            roles = s.Device.GetType().GetInterfaces().Where(i => i.Namespace == "EnergyHub.Devices" && i.Name != "IDevice").Select(i => i.Name).Order(),
            pollIntervalSeconds = s.Options.PollInterval.TotalSeconds, staleAfterSeconds = s.Options.EffectiveStaleAfter.TotalSeconds,
            code = CodeOf(s.Device.GetType()),
        })));

        app.MapGet("/api/services", () => Results.Ok(board.All().Select(ServiceJson)));

        var settings = site.GetService<ServiceSettingsStore>();
        IResult StatusOf(string name) => board.Document(name) is { Document: { } document }
            ? Results.Ok(document)
            : Results.Problem(title: "No status", detail: board.Document(name).Missing, statusCode: StatusCodes.Status404NotFound);
        // Every change names where it came from in the log: the client's address (the page is a client too).
        static string Source(HttpRequest request) => $"the web API ({request.HttpContext.Connection.RemoteIpAddress})";
        IResult Set(HttpRequest request, string service, string name, string text) =>
            settings?.Apply(service, name, text, Source(request)) is not { } problem
                ? Results.NoContent()
                : Results.Problem(title: "Setting refused", detail: problem, statusCode: StatusCodes.Status400BadRequest);
        app.MapGet("/api/services/{name}/status", (string name) => StatusOf(name));
        async Task<IResult> SetFromBody(HttpRequest request, string service, string name)
        {
            var (text, refused) = await SettingValue(request);
            return refused ?? Set(request, service, name, text!);
        }
        app.MapPut("/api/services/{name}/settings/{setting}", (string name, string setting, HttpRequest request) => SetFromBody(request, name, setting));
        app.MapGet("/api/surplus", () => StatusOf("SurplusDistributor"));
        app.MapPut("/api/surplus/consumers/{key}/automatic", async (string key, HttpRequest request) => await SettingValue(request) switch
        {
            (_, { } refused) => refused,
            ("true", _) => Set(request, "SurplusDistributor", $"{key}.Mode", "Automatic"),
            ("false", _) => Set(request, "SurplusDistributor", $"{key}.Mode", "Manual"),
            var (other, _) => Results.Problem(title: "Not true or false", detail: $"'{other}': send true (the distributor serves it) or false (allowance 0).",
                statusCode: StatusCodes.Status400BadRequest),
        });
        // The EV chargers run by EvCharging: their status, and each one's mode, phase mode and priority (service settings, kept across restarts).
        app.MapGet("/api/ev", () => StatusOf("EvCharging"));
        // Resolves a charger to the prefix of its settings ("" or "NAME.") and goes on with it, or says there is no such charger.
        IResult ForCharger(string chargerId, Func<string, IResult> then)
        {
            if (board.Document("EvCharging") is not { Document: { } document })
            {
                return Results.Problem(title: "No charger", detail: board.Document("EvCharging").Missing, statusCode: StatusCodes.Status404NotFound);
            }
            var chargers = ChargersOf(document);
            return chargers.FirstOrDefault(c => string.Equals(c.Charger, chargerId, StringComparison.OrdinalIgnoreCase)) is { Charger: not null } match
                ? then(match.Key.Length == 0 ? "" : match.Key + ".")
                : Results.Problem(title: "Unknown charger", detail: $"EvCharging runs {string.Join(", ", chargers.Select(c => $"'{c.Charger}'"))}, not '{chargerId}'.",
                    statusCode: StatusCodes.Status404NotFound);
        }
        foreach (var (path, setting) in new[] { ("mode", "Mode"), ("phase-mode", "PhaseMode"), ("priority", "ChargePriority") })
        {
            app.MapPut($"/api/ev/{{chargerId}}/{path}", async (string chargerId, HttpRequest request) =>
            {
                var (text, refused) = await SettingValue(request);
                return refused ?? ForCharger(chargerId, prefix => Set(request, "EvCharging", prefix + setting, text!));
            });
        }
        // A charge plan: {"energyKwh": 20, "by": "07:00"} (the next 07:00 in the site's zone); DELETE ends it.
        app.MapPut("/api/ev/{chargerId}/plan", async (string chargerId, HttpRequest request) =>
        {
            var text = await RawBody(request);
            return ForCharger(chargerId, prefix =>
            {
                if (EvPlanRequest.Parse(text) is not { } plan)
                {
                    return Results.Problem(title: "Not a plan", detail: $"'{(text.Length > 80 ? text[..80] + "…" : text)}': send {EvPlanRequest.Example}.",
                        statusCode: StatusCodes.Status400BadRequest);
                }
                var by = Set(request, "EvCharging", prefix + "PlanBy", plan.ByHour.ToString("R", CultureInfo.InvariantCulture));
                return by is not Microsoft.AspNetCore.Http.HttpResults.NoContent ? by : Set(request, "EvCharging", prefix + "PlanEnergyKwh", plan.EnergyKwh.ToString("R", CultureInfo.InvariantCulture));
            });
        });
        app.MapDelete("/api/ev/{chargerId}/plan", (string chargerId, HttpRequest request) =>
            ForCharger(chargerId, prefix => Set(request, "EvCharging", prefix + "PlanEnergyKwh", "0")));
        app.MapGet("/api/battery/plan", () => StatusOf("BatteryScheduler"));
        app.MapPut("/api/surplus/consumers/{key}/priority", (string key, HttpRequest request) => SetFromBody(request, "SurplusDistributor", $"{key}.Priority"));

        app.MapGet("/api/commands", () => Results.Ok(audit.Recent().TakeLast(100).Select(e => new
        {
            time = e.Timestamp, device = e.Request.DeviceId, command = e.Request.Command, value = e.Request.Value,
            source = e.Request.Source, reason = e.Request.Reason, status = e.Result.Status.ToString(), detail = e.Result.Detail,
        })));

        HistoryEndpoints.Map(app, journal, time);

        app.MapGet("/api/events", async (long? since, int? limit, string? service, string? from, CancellationToken cancellationToken) =>
        {
            if (journal is null)
            {
                return Results.Problem(title: "No journal", detail: "The decision log needs [Journal] Enabled = true.", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            if (limit is < 1 or > 10_000)
            {
                return Bad("limit must be 1 to 10000", $"limit={limit} was given");
            }
            DateTimeOffset? start = null;
            if (from is not null)
            {
                if (!TryTime(from, default, out var parsed))
                {
                    return Bad("from must be an ISO 8601 time", "e.g. from=2026-06-01T00:00:00Z");
                }
                start = parsed;
            }
            return Results.Ok((await journal.DecisionsAsync(since ?? 0, limit ?? 100, service, start, cancellationToken)).Select(d => new
            {
                id = d.Id, time = d.Time, service = d.Service, decision = d.Decision, details = System.Text.Json.JsonDocument.Parse(d.DetailsJson).RootElement,
            }));
        });

        app.MapGet("/api/stream", (HttpContext context) => stream.Serve(context, app.Lifetime.ApplicationStopping));

        app.MapPost("/api/journal/flush", async () =>
        {
            if (journal is null)
            {
                return Results.Problem(title: "No journal", detail: "There is nothing to flush without [Journal] Enabled = true.", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            await journal.FlushAsync();
            return Results.Ok(new { written = journal.Written, queueDepth = journal.QueueDepth });
        });

        app.MapGet("/graph", async (string? from, string? to, string? col_1, string? col_2, CancellationToken cancellationToken) =>
        {
            if (journal is null)
            {
                return Results.Problem(title: "No journal", detail: "Graphs need [Journal] Enabled = true.", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            if (!TryCompactTime(from, out var start) || !TryCompactTime(to, out var end) || start >= end)
            {
                return Bad("from and to must be YYYYMMDD[HH[MM[SS]]] (UTC), from before to", "e.g. from=20260601&to=2026060212");
            }
            var known = journal.Series();
            var wanted = new[] { col_1, col_2 }.Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
            var unknown = wanted.FirstOrDefault(c => known.All(k => k.Series != c));
            if (wanted.Count == 0 || unknown is not null)
            {
                return Bad(wanted.Count == 0 ? "col_1 is required" : $"unknown series '{unknown}'",
                    $"Give col_1 (and optionally col_2) from: {string.Join(", ", known.Select(k => k.Series).Take(50))}");
            }
            var series = new List<(string, string, IReadOnlyList<HistoryPoint>)>();
            foreach (var c in wanted)
            {
                series.Add((c!, known.First(k => k.Series == c).Unit, await journal.HistoryAsync(c!, start, end, 2048, cancellationToken)));
            }
            return Results.Content(SvgChart.Render(series, start, end), "image/svg+xml");
        });

        var metrics = new Metrics(site.GetRequiredService<Core.Metrics.SiteMetrics>(), state, board, audit, journal, observers);
        app.MapGet("/metrics", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.WriteAsync(context.Response.Body, context.RequestAborted);
        });
    }

    // The charger id of EvCharging's status document (its Charger property).
    // (section key, device id) of every charger in EvCharging's status document.
    private static List<(string Key, string Charger)> ChargersOf(object document) =>
        System.Text.Json.JsonSerializer.SerializeToElement(document).TryGetProperty("Chargers", out var chargers)
            ? [.. chargers.EnumerateArray().Select(c => (c.GetProperty("Key").GetString() ?? "", c.GetProperty("Charger").GetString() ?? ""))]
            : [];

    // A PUT body: a bare value or a JSON scalar ("true", true, 12, "12").
    private static async Task<string> RawBody(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return (await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false)).Trim();
    }

    // A setting's new value: one JSON value, as the docs say ("PvOnly" in quotes, 3, true); anything else is refused.
    private static async Task<(string? Value, IResult? Refused)> SettingValue(HttpRequest request)
    {
        var raw = await RawBody(request).ConfigureAwait(false);
        try
        {
            using var json = JsonDocument.Parse(raw);
            var root = json.RootElement;
            if (root.ValueKind switch
                {
                    JsonValueKind.String => root.GetString(),
                    JsonValueKind.Number => root.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => null,
                } is { } value)
            {
                return (value, null);
            }
        }
        catch (JsonException)
        {
            // refused below
        }
        return (null, Results.Problem(title: "Not a JSON value",
            detail: $"'{(raw.Length > 80 ? raw[..80] + "…" : raw)}': send one JSON value: a string in quotes (\"PvOnly\"), a number (3) or true/false.",
            statusCode: StatusCodes.Status400BadRequest));
    }

    private static object ServiceJson(ServiceStatus s) => new
    {
        name = s.Name, state = s.State.ToString(), lastTickAt = s.LastTickAt, ticks = s.Ticks, lastDurationMs = s.LastDuration?.TotalMilliseconds,
        consecutiveFailures = s.ConsecutiveFailures, totalFailures = s.TotalFailures, lastError = s.LastError, restartAt = s.RestartAt,
    };

    // 20260601, 2026060112, 202606011230 or 20260601123045, in UTC.
    private static bool TryCompactTime(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null || text.Length is not (8 or 10 or 12 or 14) || !text.All(char.IsAsciiDigit))
        {
            return false;
        }
        var padded = text.PadRight(14, '0');
        return DateTimeOffset.TryParseExact(padded, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    internal static IResult Bad(string title, string detail) => Results.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);

    internal static bool TryTime(string? text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            value = fallback;
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>The page's modules besides app.js, one per panel (js/*.js, embedded).</summary>
    internal static readonly string[] PageModules = [.. typeof(Endpoints).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("js/", StringComparison.Ordinal)).Select(n => n[3..]).Order(StringComparer.Ordinal)];

    internal static string Asset(string name)
    {
        using var stream = typeof(Endpoints).Assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
