using EnergyHub.Core.Config;
using EnergyHub.Core.Fleet;
using EnergyHub.Core.Hosting;
using EnergyHub.Core.Journal;
using EnergyHub.Core.Mqtt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Web.Fleet;

/// <summary>
/// The host of <c>energyhub fleet</c>: one broker connection following every site (<see cref="FleetMonitor"/>), one
/// journal they all go into, and the fleet's page. It commands nothing.
/// </summary>
public static class FleetHost
{
    /// <summary>Builds the host for <paramref name="fleet"/>.</summary>
    public static IHost Build(FleetConfig fleet, ILoggerFactory loggers, TimeProvider time)
    {
        var config = fleet.Site;
        var builder = SiteHost.NewBuilder("EnergyHub.Fleet", config, loggers);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(fleet.Fleet);
        builder.Services.AddSingleton(provider => new FleetState(fleet.Fleet, time));
        if (config.Journal.Enabled)
        {
            builder.Services.AddSingleton(_ => SiteJournal.Open(config, loggers.CreateLogger<SiteJournal>()));
            builder.Services.AddHostedService<JournalService>();
        }
        var bus = SiteMqtt.CreateBus(config, loggers.CreateLogger("EnergyHub.Mqtt"), time);
        builder.Services.AddSingleton(bus);
        builder.Services.AddHostedService(provider => new SiteMqtt(bus, config.Mqtt, provider.GetRequiredService<ILogger<SiteMqtt>>()));
        builder.Services.AddHostedService(provider => new FleetMonitor(bus, provider.GetRequiredService<FleetState>(), fleet.Fleet,
            provider.GetService<SiteJournal>(), provider.GetRequiredService<ILogger<FleetMonitor>>()));
        builder.Services.AddSingleton<IWebEndpoints>(provider => new FleetEndpoints(provider.GetRequiredService<FleetState>(), provider.GetService<SiteJournal>(), time));
        WebServer.AddTo(builder.Services, config);
        return builder.Build();
    }
}
