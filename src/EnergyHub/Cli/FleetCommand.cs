using System.CommandLine;
using EnergyHub.Core.Config;
using EnergyHub.Core.Fleet;
using EnergyHub.Core.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Cli;

/// <summary><c>energyhub fleet</c>: follows many sites on one broker, journals them into one database and serves the fleet page.</summary>
public static class FleetCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "The fleet file: [Fleet], [Mqtt] (the broker), [Journal] (usually Backend = Postgres), [Web]. See config/examples/fleet.ini.", Required = true };
        var command = new Command("fleet", "Follow every site publishing below [Fleet] Prefix on the broker, journal them into one database, and serve the fleet page, until Ctrl-C or SIGTERM. It commands nothing.")
        {
            config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = Path.GetFullPath(parse.GetValue(config)!);
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"No fleet file at {path}; config/examples/fleet.ini is one to start from.");
                return ExitCodes.ConfigInvalid;
            }
            FleetConfig fleet;
            try
            {
                fleet = FleetConfig.Validate(ConfigDocument.Load(path));
            }
            catch (ConfigException ex)
            {
                Bootstrap.PrintErrors(ex);
                return ExitCodes.ConfigInvalid;
            }
            if (Web.WebPortCheck.Problem(fleet.Site.Web) is { } portProblem)
            {
                Console.Error.WriteLine(portProblem);
                return ExitCodes.ConfigInvalid;
            }
            using var loggers = LoggingSetup.Create(fleet.Site.Logging, fleet.Site.LogDir);
            var logger = loggers.CreateLogger("EnergyHub.Fleet");
            using var host = Web.Fleet.FleetHost.Build(fleet, loggers, TimeProvider.System);
            try
            {
                await host.StartAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                logger.LogInformation("Stopped while starting (Ctrl-C or SIGTERM)");
                await host.StopAsync(CancellationToken.None);
                return ExitCodes.Ok;
            }
            logger.LogInformation("Fleet running from {Path}: journal {Journal}. Ctrl-C stops.", path,
                fleet.Site.Journal.Enabled ? (fleet.Site.Journal.Backend == JournalBackend.Postgres ? "PostgreSQL" : fleet.Site.JournalPath) : "off");
            await host.WaitForShutdownAsync(CancellationToken.None);
            return ExitCodes.Ok;
        });
        return command;
    }
}
