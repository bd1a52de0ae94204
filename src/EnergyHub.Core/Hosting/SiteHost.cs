using EnergyHub.Commands;
using EnergyHub.Core.Commands;
using EnergyHub.Core.Config;
using EnergyHub.Core.Devices;
using EnergyHub.Core.Events;
using EnergyHub.Core.Journal;
using EnergyHub.Core.Logging;
using EnergyHub.Core.Mqtt;
using EnergyHub.Core.Plugins;
using EnergyHub.Core.Scheduling;
using EnergyHub.Plugins;
using EnergyHub.Protocols.Mqtt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Hosting;

/// <summary>Builds the Generic Host that runs a validated site: device pollers, SiteState, CommandGate, services.</summary>
public static class SiteHost
{
    /// <summary>
    /// A host builder without .NET's defaults (no appsettings, no console logger), rooted in the config's folder and
    /// logging through <paramref name="loggers"/>: the site's host and the fleet's start from it.
    /// </summary>
    public static HostApplicationBuilder NewBuilder(string applicationName, SiteConfig config, ILoggerFactory loggers)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = applicationName,
            ContentRootPath = config.Document.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSiteLogging(loggers);
        return builder;
    }

    /// <summary>
    /// Creates the host. Devices are built here, so a driver that rejects its options fails before anything starts
    /// (<see cref="ConfigException"/>). Stopping the host stops the services first (restoring their safe states), then
    /// the pollers.
    /// </summary>
    /// <param name="config">The validated configuration.</param>
    /// <param name="loggers">Where every component logs.</param>
    /// <param name="time">The clock: <see cref="TimeProvider.System"/>, or a manual one in tests and replay.</param>
    /// <param name="configure">Further registrations (the web server): their hosted services start before the devices are
    /// first read, so the page answers at once, and a port already taken stops start-up before any device is touched.</param>
    /// <param name="configureLast">Registrations whose hosted services start after everything else (the systemd watchdog's READY=1).</param>
    public static IHost Build(SiteConfig config, ILoggerFactory loggers, TimeProvider time, Action<IServiceCollection>? configure = null,
        Action<IServiceCollection>? configureLast = null)
    {
        var builder = NewBuilder("EnergyHub", config, loggers);
        time = Time.ZonedTimeProvider.For(config.Common, time);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(config);
        builder.Services.AddHttpClient();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        // The site's MQTT bus (when [Mqtt] is on) is a shared resource like any other, registered before the devices are built.
        var shared = new SharedResources();
        var settings = shared.GetOrAdd(EnergyHub.Services.IServiceSettings.SharedKey,
            () => new ServiceSettingsStore(config.Journal.Enabled ? Path.Combine(config.DataDir, "settings.json") : null, loggers.CreateLogger<ServiceSettingsStore>()));
        var stateStore = config.Journal.Enabled
            ? shared.GetOrAdd<EnergyHub.Services.IServiceStateStore>(EnergyHub.Services.IServiceStateStore.SharedKey, () => new JournalStateStore(config.JournalPath, time))
            : null;
        if (config.Mqtt.Enabled)
        {
            var bus = shared.GetOrAdd(MqttSite.SharedKey, () => new MqttSite(SiteMqtt.CreateBus(config, loggers.CreateLogger("EnergyHub.Mqtt"), time), config.Mqtt.TopicPrefix, config.Common.SiteName)).Bus;
            builder.Services.AddSingleton(bus);
            builder.Services.AddHostedService(provider => new SiteMqtt(bus, config.Mqtt, provider.GetRequiredService<ILogger<SiteMqtt>>()));
            if (config.Mqtt.SummaryInterval > TimeSpan.Zero)
            {
                builder.Services.AddHostedService(provider => ActivatorUtilities.CreateInstance<Fleet.SummaryPublisher>(provider, bus));
            }
            builder.Services.AddHostedService(provider => new MqttSettings(bus, config.Mqtt, provider.GetRequiredService<ServiceSettingsStore>(), provider.GetRequiredService<ILogger<MqttSettings>>()));
            builder.Services.AddHostedService(provider => new MqttServiceValues(bus, config.Mqtt.TopicPrefix, provider.GetRequiredService<ServiceStatusBoard>(),
                provider.GetRequiredService<ILogger<MqttServiceValues>>()));
        }
        builder.Services.AddSingleton(provider => DeviceRegistry.Create(config, provider, loggers, time, shared));
        builder.Services.AddSingleton(provider => new SiteState(provider.GetRequiredService<DeviceRegistry>(), time, config.Common.GridMeter));
        builder.Services.AddSingleton<CommandAuditLog>();
        builder.Services.AddSingleton(new CommandOwners(config.Services));
        builder.Services.AddSingleton<CommandGate>();
        builder.Services.AddSingleton<ServiceStatusBoard>();
        builder.Services.AddSingleton(_ =>
        {
            var decisions = new DecisionLog(time);
            settings.Applied += change => change.RecordIn(decisions); // journaled and streamed like every decision
            return decisions;
        });
        builder.Services.AddSingleton<SiteEvents>();
        builder.Services.AddSingleton(provider => new Energy.TodayEnergyMeter(provider.GetRequiredService<SiteState>(), time, stateStore,
            provider.GetRequiredService<ILogger<Energy.TodayEnergyMeter>>()));
        builder.Services.AddSingleton<SiteObservers>();
        builder.Services.AddSingleton<Metrics.SiteMetrics>();
        builder.Services.AddSingleton(settings);
        foreach (var service in config.Services)
        {
            builder.Services.AddSingleton(provider => new ServiceRunner(
                service,
                new ServiceContext(service.Name, loggers.CreateLogger($"EnergyHub.Service.{service.Name}"), time, PluginServices.Of(provider))
                {
                    Shared = provider.GetRequiredService<DeviceRegistry>().Shared,
                },
                provider.GetRequiredService<SiteState>(),
                provider.GetRequiredService<CommandGate>(),
                provider.GetRequiredService<ServiceStatusBoard>(),
                provider.GetRequiredService<DecisionLog>().For(service.Name),
                provider.GetRequiredService<SiteObservers>(),
                provider.GetRequiredService<Metrics.SiteMetrics>(),
                provider.GetRequiredService<ServiceSettingsStore>()));
        }

        // Hosted services start in order: the journal, what `configure` adds (the web server, so the page answers at
        // once), the stand-ins for hardware (emulators answer before the first read), the pollers (one read of every
        // device), the scheduler, what `configureLast` adds. They stop in reverse: the scheduler (safe states via the
        // gate, emulators last), then the pollers, the web server, then the journal's last flush, so the safe-state
        // commands are journaled too.
        if (config.Journal.Enabled)
        {
            builder.Services.AddSingleton(provider =>
            {
                var journal = SiteJournal.Open(config, loggers.CreateLogger<SiteJournal>());
                journal.Attach(provider.GetRequiredService<SiteState>(), provider.GetRequiredService<CommandAuditLog>(), provider.GetRequiredService<DecisionLog>());
                return journal;
            });
            builder.Services.AddHostedService<JournalService>();
        }
        configure?.Invoke(builder.Services);
        builder.Services.AddSingleton<HardwareStandIns>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<HardwareStandIns>());
        builder.Services.AddHostedService<DevicePollingService>();
        builder.Services.AddSingleton(provider => new SiteCycleSettings(provider.GetRequiredService<SiteState>(), config.Common.SiteCycleInterval, time));
        builder.Services.AddHostedService<ServiceScheduler>();
        configureLast?.Invoke(builder.Services);

        var host = builder.Build();
        var devices = host.Services.GetRequiredService<DeviceRegistry>();
        if (CommandOwners.MissingAbilities(config, devices) is { Count: > 0 } missing)
        {
            host.Dispose();
            throw new ConfigException(missing);
        }
        _ = host.Services.GetRequiredService<SiteEvents>();
        _ = host.Services.GetRequiredService<Energy.TodayEnergyMeter>();
        if (config.Journal.Enabled)
        {
            _ = host.Services.GetRequiredService<SiteJournal>();
        }
        return host;
    }
}
