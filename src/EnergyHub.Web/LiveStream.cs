using System.Globalization;
using EnergyHub.Core.Config;
using EnergyHub.Core.Events;
using Microsoft.AspNetCore.Http;

namespace EnergyHub.Web;

/// <summary>
/// <c>GET /api/stream</c>: the site's events as server-sent events. A resuming client (Last-Event-ID) gets what it
/// missed from the kept events; a new one gets the last <c>[Web] StreamReplay</c>. At most <c>[Web] MaxStreams</c>
/// are open at once, and <c>[Web] MaxStreamsPerClient</c> from one address; one more gets 503 with Retry-After. A heartbeat comment every 15 s keeps proxies from closing it.
/// </summary>
public sealed class LiveStream(SiteEvents events, WebOptions web)
{
    private readonly Dictionary<string, int> _byClient = new(StringComparer.Ordinal);
    private int _open;

    /// <summary>Streams open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Serves one client until it goes away or <paramref name="stopping"/> fires.</summary>
    public async Task Serve(HttpContext context, CancellationToken stopping)
    {
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "";
        if (Refusal(client) is { } refusal)
        {
            context.Response.Headers.RetryAfter = "10";
            await Results.Problem(title: "Too many live streams", detail: refusal, statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
            return;
        }
        try
        {
            await Run(context, stopping);
        }
        finally
        {
            lock (_byClient)
            {
                _open--;
                _byClient[client]--;
                if (_byClient[client] == 0)
                {
                    _byClient.Remove(client);
                }
            }
        }
    }

    // Counts the stream in, or says which limit it would pass.
    private string? Refusal(string client)
    {
        lock (_byClient)
        {
            if (_open >= web.MaxStreams)
            {
                return $"{web.MaxStreams} streams are open ([Web] MaxStreams); close a page or raise the limit.";
            }
            if (_byClient.GetValueOrDefault(client) >= web.MaxStreamsPerClient)
            {
                return $"{client} holds {web.MaxStreamsPerClient} streams already ([Web] MaxStreamsPerClient); close one of its pages or raise the limit.";
            }
            _open++;
            _byClient[client] = _byClient.GetValueOrDefault(client) + 1;
            return null;
        }
    }

    private async Task Run(HttpContext context, CancellationToken stopping)
    {
        var resumeFrom = context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? context.Request.Query["lastEventId"].FirstOrDefault();
        long? lastId = long.TryParse(resumeFrom, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var (missed, live, subscription) = events.Subscribe(lastId, web.StreamReplay);
        using (subscription)
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping))
        {
            // Ends when the client goes away or the server stops, so shutdown never waits for open streams.
            var ct = linked.Token;
            try
            {
                await context.Response.WriteAsync(": connected\n\n", ct);
                foreach (var e in missed)
                {
                    await Write(context, e, ct);
                }
                await context.Response.Body.FlushAsync(ct);
                while (!ct.IsCancellationRequested)
                {
                    using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    heartbeat.CancelAfter(TimeSpan.FromSeconds(15));
                    try
                    {
                        var e = await live.ReadAsync(heartbeat.Token);
                        await Write(context, e, ct);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        await context.Response.WriteAsync(": heartbeat\n\n", ct);
                    }
                    await context.Response.Body.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException)
            {
                // The client went away.
            }
        }
    }

    private static Task Write(HttpContext context, SiteEvent e, CancellationToken ct) =>
        context.Response.WriteAsync($"id: {e.Id}\nevent: {e.Type}\ndata: {e.Json}\n\n", ct);
}
