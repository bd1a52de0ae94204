using EnergyHub.Core.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Web;

/// <summary>
/// Kestrel on <c>[Web] Address:Port</c> serving the API, the live stream, /metrics and the page, over the site's own
/// singletons (it is a hosted service of the site's host, with its own small web application).
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
        builder.Services.AddSingleton(loggers);
        builder.Services.AddProblemDetails();
        builder.WebHost.UseUrls($"http://{config.Web.Address}:{config.Web.Port}");
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        _app = builder.Build();
        _app.UseExceptionHandler();
        _app.UseStatusCodePages();
        Endpoints.Map(_app, site, config);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(bound);
        loggers.CreateLogger("EnergyHub.Web").LogInformation("The live page and API are on {Address}", Address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
