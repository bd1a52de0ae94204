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
        var command = new Command("check-config", "Validate a config file: every section, key, value, driver and device reference. Exit code 2 when it has problems.")
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
            using var loggers = Bootstrap.ConsoleLoggers(Microsoft.Extensions.Logging.LogLevel.Warning);
            var loaded = Bootstrap.TryLoad(Bootstrap.Loader(loggers, parse.GetValue(pluginDirs) ?? []), path);
            if (loaded is not { } site)
            {
                return ExitCodes.ConfigInvalid;
            }
            using (var host = Bootstrap.TryBuildHost(site.Config with { Journal = new Core.Config.JournalOptions { Enabled = false } }, loggers))
            {
                if (host is null)
                {
                    return ExitCodes.ConfigInvalid;
                }
            }
            Console.WriteLine($"{site.Config.Document.Path}: OK, {site.Config.Devices.Count} device(s) " +
                $"({string.Join(", ", site.Config.Devices.Select(d => $"{d.Id}: {d.Driver.Name}"))}), " +
                $"{site.Config.Services.Count} service(s) on ({string.Join(", ", site.Config.Services.Select(s => s.Name))}).");
            if (Web.WebServer.Exposure(site.Config.Web) is { } exposure)
            {
                Console.WriteLine($"warning: {exposure}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
