using System.CommandLine;
using EnergyHub.Core.Config;
using EnergyHub.Core.Hosting;

namespace EnergyHub.Cli;

/// <summary><c>energyhub check-config FILE</c>: validates a config without starting anything.</summary>
public static class CheckConfigCommand
{
    public static Command Create(Option<string[]> pluginDirs)
    {
        var file = new Argument<string?>("file") { Description = "The config.ini to check.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("check-config", "Validate a config file (a site's, or a fleet's with [Fleet]): every section, key, value, driver and device reference. Exit code 2 when it has problems.")
        {
            file,
        };
        command.SetAction(async (parse, _) =>
        {
            if (parse.GetValue(file) is not { Length: > 0 } path)
            {
                Console.Error.WriteLine("Name the config file to check: energyhub check-config config.ini (config/energyhub.ini documents every key).");
                return ExitCodes.ConfigInvalid;
            }
            if (Core.Fleet.FleetConfig.FleetDocument(path) is { } fleet)
            {
                return CheckFleet(fleet);
            }
            using var loggers = Bootstrap.ConsoleLoggers(Microsoft.Extensions.Logging.LogLevel.Warning);
            var loader = Bootstrap.Loader(loggers, parse.GetValue(pluginDirs) ?? []);
            loader.CreatesFolders = false;
            var loaded = Bootstrap.TryLoad(loader, path);
            if (loaded is not { } site)
            {
                return ExitCodes.ConfigInvalid;
            }
            // The devices are built to check their options; what they would write goes to a folder deleted afterwards.
            var scratch = Directory.CreateTempSubdirectory("energyhub-check-").FullName;
            try
            {
                using var host = Bootstrap.TryBuildHost(site.Config with { Journal = new Core.Config.JournalOptions { Enabled = false }, ScratchDataDir = scratch }, loggers);
                if (host is null)
                {
                    return ExitCodes.ConfigInvalid;
                }
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
            Console.WriteLine($"{site.Config.Document.Path}: OK, {site.Config.Devices.Count} device(s) " +
                $"({string.Join(", ", site.Config.Devices.Select(d => $"{d.Id}: {d.Driver.Name}"))}), " +
                (site.Config.Services.Count == 0 ? "no service on." : $"{site.Config.Services.Count} service(s) on ({string.Join(", ", site.Config.Services.Select(s => s.Name))})."));
            if (Web.WebServer.Exposure(site.Config.Web) is { } exposure)
            {
                Console.WriteLine($"warning: {exposure}");
            }
            if (site.Config.Mqtt.SettingsExposure is { } settings)
            {
                Console.WriteLine($"warning: {settings}");
            }
            foreach (var notice in site.Config.Notices)
            {
                Console.WriteLine($"warning: {notice}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int CheckFleet(ConfigDocument document)
    {
        try
        {
            var fleet = Core.Fleet.FleetConfig.Validate(document);
            Console.WriteLine($"{document.Path}: OK, a fleet: the sites below {fleet.Fleet.Prefix}/ on {fleet.Site.Mqtt.Host}:{fleet.Site.Mqtt.Port}, " +
                $"journal {(fleet.Site.Journal.Enabled ? fleet.Site.Journal.Backend.ToString() : "off")}; run it with `energyhub fleet --config {document.Path}`.");
            if (Web.WebServer.Exposure(fleet.Site.Web) is { } exposure)
            {
                Console.WriteLine($"warning: {exposure}");
            }
            return ExitCodes.Ok;
        }
        catch (ConfigException ex)
        {
            Bootstrap.PrintErrors(ex);
            return ExitCodes.ConfigInvalid;
        }
    }
}
