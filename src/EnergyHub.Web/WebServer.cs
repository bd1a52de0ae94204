using EnergyHub.Core.Config;
using EnergyHub.Web.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using EnergyHub.Core.Logging;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Web;

/// <summary>
/// Kestrel on <c>[Web] Address:Port</c> serving the API, the live stream, /metrics and the page, over the site's own
/// singletons (it is a hosted service of the site's host, with its own small web application); or, when the host has
/// an <see cref="IWebEndpoints"/> (the fleet), those endpoints, behind the same security headers, host filter and key.
/// </summary>
public sealed class WebServer(IServiceProvider site, SiteConfig config, ILoggerFactory loggers) : IHostedService
{
    private WebApplication? _app;

    /// <summary>The address it listens on, once started.</summary>
    public Uri? Address { get; private set; }

    /// <summary>Adds the web server to a site host when <c>[Web] Enabled</c>.</summary>
    public static void AddTo(IServiceCollection services, SiteConfig config)
    {
        if (config.Web.Enabled)
        {
            services.AddSingleton<WebServer>();
            services.AddHostedService(provider => provider.GetRequiredService<WebServer>());
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "EnergyHub.Web" });
        builder.Logging.ClearProviders();
        builder.Services.AddSiteLogging(loggers);
        builder.Services.AddProblemDetails();
        // The page's script, styles and JSON go out gzipped; the live stream (text/event-stream) never is, so it is never held back.
        builder.Services.AddResponseCompression(o => o.MimeTypes = ["text/javascript", "text/css", "text/html", "application/json", "application/problem+json"]);
        // Enums in status documents as their names (PvOnly, Charging), as the config and the settings spell them.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddHostFiltering(o =>
        {
            o.AllowedHosts = [.. HostAllowList.For(config.Web)];
            o.IncludeFailureMessage = false;
        });
        builder.WebHost.UseUrls($"http://{config.Web.Address}:{config.Web.Port}");
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // Every write is a few bytes of JSON: a larger body is refused (413) before it is read into memory.
            k.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        _app = builder.Build();
        var (key, keyFile) = GeneratedApiKey.Resolve(config.Web, config.DataDir);
        var apiKey = new ApiKeyCheck(config.Web, key);
        _app.Use((context, next) =>
        {
            SecurityHeaders.Apply(context.Response);
            return next(context);
        });
        _app.UseHostFiltering();
        _app.UseResponseCompression();
        // A body past the limit (one sent in chunks is only found out while it is read) is the client's error, not ours.
        _app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : 500 });
        _app.UseStatusCodePages();
        _app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > MaxRequestBodyBytes)
            {
                await Results.Problem(title: "Body too large",
                    detail: $"Every write takes a few bytes of JSON; this request announced {context.Request.ContentLength} bytes (at most {MaxRequestBodyBytes}).",
                    statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        _app.Use(async (context, next) =>
        {
            if (apiKey.Refuses(context.Request))
            {
                await Results.Problem(title: "API key required",
                    detail: $"Send the API key ([Web] ApiKey, or the one in the DataDir's {GeneratedApiKey.FileName}) in the {ApiKeyCheck.Header} header (the page asks for it and keeps a session cookie).",
                    statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        if (site.GetService<IWebEndpoints>() is { } other)
        {
            other.Map(_app);
        }
        else
        {
            Endpoints.Map(_app, site, config, apiKey, keyFile is null);
        }
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(bound);
        var logger = loggers.CreateLogger("EnergyHub.Web");
        logger.LogInformation("The live page and API are on {Address}", Address);
        if (keyFile is not null)
        {
            logger.LogInformation("Changes need the API key in {KeyFile} (generated, readable only by this user): paste it when the page asks, or send it as {Header}; set [Web] ApiKey to choose your own",
                keyFile, ApiKeyCheck.Header);
        }
        if (Exposure(config.Web) is { } warning)
        {
            logger.LogWarning("{Warning}", warning);
        }
    }

    /// <summary>The largest request body taken, bytes (every write is a few bytes of JSON).</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>A warning when the API is open to the network without a key of the owner's, else null.</summary>
    public static string? Exposure(WebOptions web) => web.Enabled && !web.IsLoopbackOnly && web.ApiKey.Length == 0
        ? $"[Web] Address = {web.Address} opens the API to the network without a key: anyone who can reach it may read it, and " +
          $"writes need only the key generated into the DataDir ({GeneratedApiKey.FileName}). " +
          "Set [Web] ApiKey (or ENERGYHUB_Web__ApiKey) and ProtectReads = true, or Address = 127.0.0.1 behind a reverse proxy."
        : null;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
