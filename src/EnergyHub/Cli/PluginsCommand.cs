using System.CommandLine;
using EnergyHub.Core.Config;
using EnergyHub.Core.Hosting;
using Spectre.Console;

namespace EnergyHub.Cli;

/// <summary><c>energyhub plugins</c>: what loaded, in which version, with which drivers and services; and what did not.</summary>
public static class PluginsCommand
{
    public static Command Create(Option<string[]> pluginDirs)
    {
        var config = new Option<string?>("--config") { Description = "Also search the folders in this config's [Common] PluginDirs." };
        var command = new Command("plugins", "List loaded plugins, their versions, drivers and services, and every plugin that failed to load and why.")
        {
            config,
        };
        command.SetAction(parse =>
        {
            using var loggers = Bootstrap.ConsoleLoggers(Microsoft.Extensions.Logging.LogLevel.Critical);
            var loader = Bootstrap.Loader(loggers, parse.GetValue(pluginDirs) ?? []);
            var extra = new List<string>();
            if (parse.GetValue(config) is { } path)
            {
                try
                {
                    extra.AddRange(SiteLoader.PluginDirsOf(ConfigDocument.Load(path)));
                }
                catch (ConfigException ex)
                {
                    Bootstrap.PrintErrors(ex);
                    return ExitCodes.ConfigInvalid;
                }
            }
            var catalog = loader.LoadPlugins(extra);

            var table = new Table().AddColumns("Plugin", "Version", "Drivers", "Services", "Location");
            foreach (var plugin in catalog.Plugins)
            {
                table.AddRow(Markup.Escape(plugin.Name), Markup.Escape(plugin.Version), Markup.Escape(string.Join(", ", plugin.Drivers)),
                    Markup.Escape(string.Join(", ", plugin.Services)), Markup.Escape(plugin.Location));
            }
            AnsiConsole.Write(table);
            AnsiConsole.WriteLine($"Searched: {string.Join(", ", loader.PluginDirectories.Concat(extra))}");
            foreach (var failure in catalog.Failures)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]Skipped[/] {failure.Location}: {failure.Reason}");
            }
            return catalog.Failures.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }
}
