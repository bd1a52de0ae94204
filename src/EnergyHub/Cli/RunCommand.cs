using System.CommandLine;
using EnergyHub.Core.Config;
using EnergyHub.Core.Hosting;
using EnergyHub.Core.Logging;
using EnergyHub.Core.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Cli;

/// <summary><c>energyhub run</c>: the daemon. Polls devices, runs services, stops cleanly on Ctrl-C or SIGTERM.</summary>
public static class RunCommand
{
    public static Command Create(Option<string[]> pluginDirs)
    {
        var config = new Option<string?>("--config") { Description = "The config.ini to run (default: $ENERGYHUB_CONFIG, then ./config.ini, else the embedded demo site)." };
        var command = new Command("run", "Run EnergyHub until Ctrl-C or SIGTERM; on the way out every service restores its safe state.")
        {
            config,
        };
        command.SetAction(async (parse, _) =>
        {
            var located = ConfigLocator.Locate(parse.GetValue(config));
            SiteConfig site;
            PluginCatalog plugins;
            using (var bootstrap = Bootstrap.ConsoleLoggers(toStandardError: false))
            {
                var startup = bootstrap.CreateLogger("EnergyHub");
                startup.LogInformation(located.IsEmbeddedDemo
                    ? "No --config, ${Variable} or ./config.ini: running the simulated demo site from {Path}"
                    : "Starting with {Path} (from {Origin})",
                    located.IsEmbeddedDemo ? ConfigLocator.EnvironmentVariable : located.Path,
                    located.IsEmbeddedDemo ? located.Path : located.Origin);
                if (Bootstrap.TryLoad(Bootstrap.Loader(bootstrap, parse.GetValue(pluginDirs) ?? []), located.Path) is not { } loaded)
                {
                    return ExitCodes.ConfigInvalid;
                }
                (site, plugins) = loaded;
                if (Web.WebPortCheck.Problem(site.Web) is { } portProblem)
                {
                    startup.LogCritical("{Problem}", portProblem);
                    return ExitCodes.ConfigInvalid;
                }
            }

            using var loggers = LoggingSetup.Create(site.Logging, site.LogDir);
            var logger = loggers.CreateLogger("EnergyHub");
            TimeProvider time = site.Common.Speed != 1 || site.Common.ClockStart is not null
                ? new Core.Time.ScaledTimeProvider(site.Common.ClockStart ?? DateTimeOffset.UtcNow, site.Common.Speed)
                : TimeProvider.System;
            if (time != TimeProvider.System)
            {
                logger.LogInformation("The clock starts at {Start:u} and runs {Speed}x real time", time.GetUtcNow(), site.Common.Speed);
            }
            var watcher = site.Common.PluginReloadInterval > TimeSpan.Zero
                ? new PluginFolderWatcher([.. Bootstrap.Loader(loggers, parse.GetValue(pluginDirs) ?? []).PluginDirectories.Concat(SiteLoader.PluginDirsOf(site.Document))],
                    TimeProvider.System, site.Common.PluginReloadInterval)
                : null;
            var exitCode = ExitCodes.Ok;
            (SiteConfig Config, PluginCatalog Catalog)? previous = null; // what ran before a plugin change, until the new site is built
            while (true)
            {
                if (Bootstrap.TryBuildHost(site, loggers, time,
                        services => Web.WebServer.AddTo(services, site), // first: the page answers while the devices are read
                        services => services.AddHostedService<Core.Hosting.SystemdWatchdog>()) is not { } host) // last: READY=1 once everything has started
                {
                    if (previous is not { } fallback)
                    {
                        return ExitCodes.ConfigInvalid;
                    }
                    logger.LogError("The new plugins do not build the site (see above): going back to the plugins it ran on");
                    plugins.Dispose();
                    ((site, plugins), previous) = (fallback, null);
                    continue;
                }
                previous?.Catalog.Dispose(); // the new site is built: the old plugins can be unloaded
                previous = null;
                logger.LogInformation("EnergyHub {Version} running site {Site}: {Devices} device(s), {Services} service(s); data in {DataDir}, logs in {LogDir}. Ctrl-C stops.",
                    typeof(RunCommand).Assembly.GetName().Version?.ToString(3), site.Common.SiteName, site.Devices.Count, site.Services.Count,
                    site.DataDir, site.LogDir ?? "(console only)");
                foreach (var notice in site.Notices)
                {
                    logger.LogWarning("{Notice}", notice);
                }
                var scheduler = host.Services.GetServices<IHostedService>().OfType<Core.Scheduling.ServiceScheduler>().Single();
                var journal = host.Services.GetService<Core.Journal.SiteJournal>();
                (SiteConfig Config, Core.Plugins.PluginCatalog Catalog)? next = null;
                using (host)
                {
                    try
                    {
                        await host.StartAsync();
                        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                        next = await PluginReload.WaitAsync(watcher, located.Path, site, plugins, parse.GetValue(pluginDirs) ?? [], loggers, logger, stopping);
                        await host.StopAsync(); // safe states first, on Ctrl-C, SIGTERM or a plugin change
                    }
                    catch (Exception ex)
                    {
                        // A start cut short (Ctrl-C, the web port taken after all, anything else) may already have commanded
                        // devices: stop whatever started, so every service that acted restores its safe state.
                        if (ex is OperationCanceledException)
                        {
                            logger.LogInformation("Stopped while starting (Ctrl-C or SIGTERM): restoring safe states");
                        }
                        else if (ex is IOException && (ex.InnerException is System.Net.Sockets.SocketException || ex.GetType().Name == "AddressInUseException"))
                        {
                            logger.LogCritical("Web: cannot listen on {Address}:{Port} ({Error}); set [Web] Port (or ENERGYHUB_Web__Port) to a free port, or [Web] Enabled = false",
                                site.Web.Address, site.Web.Port, ex.Message);
                            exitCode = ExitCodes.ConfigInvalid;
                        }
                        else
                        {
                            logger.LogCritical(ex, "Start-up failed ({Error}): restoring safe states and exiting", ex.Message);
                            exitCode = ExitCodes.Failure;
                        }
                        next?.Catalog.Dispose();
                        next = null;
                        await host.StopAsync();
                    }
                }
                if (!scheduler.SafeStatesConfirmed)
                {
                    logger.LogError("EnergyHub stopped, but not every safe state was confirmed (see above): exiting with code {Code}", ExitCodes.Failure);
                    next?.Catalog.Dispose();
                    return ExitCodes.Failure;
                }
                if (journal is { LostAtShutdown: > 0 and var lost })
                {
                    logger.LogError("EnergyHub stopped, but {Lost} journal record(s) were lost (see above): exiting with code {Code}", lost, ExitCodes.Failure);
                    next?.Catalog.Dispose();
                    return ExitCodes.Failure;
                }
                if (next is not { } reloaded)
                {
                    break;
                }
                previous = (site, plugins);
                (site, plugins) = reloaded;
            }
            logger.LogInformation("EnergyHub stopped");
            return exitCode;
        });
        return command;
    }
}
