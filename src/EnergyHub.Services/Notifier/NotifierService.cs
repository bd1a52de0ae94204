using System.Net.Http.Headers;
using System.Text;
using EnergyHub.Observers;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Services.Notifier;

/// <summary>
/// Tells the owner what happened (<see cref="NotificationRules"/>) by a plain HTTP POST to <see cref="NotifierOptions.Url"/>:
/// the message as the body, and ntfy's <c>Title</c>, <c>Priority</c> (high for a fault) and <c>Tags</c> headers, which
/// other webhooks ignore. It observes the site and commands nothing. A POST that fails or times out is logged (once
/// until one succeeds) and not repeated: the journal keeps every event anyway.
/// </summary>
public sealed class NotifierService(NotifierOptions options, HttpClient http, ILogger logger) : IService, ISiteObserver
{
    /// <summary>The name in <c>[Services]</c>.</summary>
    public const string ServiceName = "Notifier";

    private readonly NotificationRules _rules = new(options.Charging, options.Faults);
    private bool _failing;

    /// <inheritdoc />
    public string Name => ServiceName;

    /// <summary>How many notifications went out.</summary>
    public int Sent { get; private set; }

    /// <inheritdoc />
    /// <remarks>Everything happens as observations arrive.</remarks>
    public Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Commands nothing, so there is nothing to restore.</summary>
    public Task StopAsync(ServiceTick tick, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask ObserveAsync(SiteObservation observation, CancellationToken cancellationToken)
    {
        if (_rules.Next(observation) is not { } notification)
        {
            return;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url)
        {
            Content = new StringContent(notification.Message, Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("Title", notification.Title);
        request.Headers.Add("Priority", notification.IsFault ? "high" : "default");
        request.Headers.Add("Tags", notification.IsFault ? "warning" : "zap");
        if (options.Token.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            Sent++;
            if (_failing)
            {
                _failing = false;
                logger.LogInformation("[Notifier] {Url} takes notifications again", options.Url);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (!_failing)
            {
                _failing = true;
                logger.LogWarning("[Notifier] '{Title}' could not be sent to {Url} ({Error}); is the URL right and reachable? Later ones are tried as they come",
                    notification.Title, options.Url, ex.Message);
            }
        }
    }
}
