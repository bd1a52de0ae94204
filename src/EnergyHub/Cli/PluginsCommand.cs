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
        var options = new Option<string?>("--options") { Description = "Show the keys of one driver or service: type and unit, default, range, and what each does." };
        var command = new Command("plugins", "List loaded plugins, their versions, drivers and services, and every plugin that failed to load and why.")
        {
            config, options,
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
            if (parse.GetValue(options) is { } name)
            {
                return ShowOptions(catalog, name);
            }

            var searched = loader.PluginDirectories.Concat(extra).ToList();
            // A plugin's folder under the searched folder that holds it (named below the table): the table stays narrow.
            string Folder(string location) => searched.Select(dir => Path.GetRelativePath(dir, location))
                .FirstOrDefault(relative => !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative)) ?? location;
            var table = new Table().AddColumns(new TableColumn("Plugin").NoWrap(), new TableColumn("Version").NoWrap(),
                new TableColumn("Drivers and services"), new TableColumn("Loaded from"));
            foreach (var plugin in catalog.Plugins)
            {
                var provides = string.Join("; ", new (string Kind, IReadOnlyList<string> Names)[] { ("drivers", plugin.Drivers), ("services", plugin.Services) }
                    .Where(p => p.Names.Count > 0).Select(p => $"{p.Kind}: {string.Join(", ", p.Names)}"));
                table.AddRow(Markup.Escape(plugin.Name), Markup.Escape(plugin.Version), Markup.Escape(provides),
                    Markup.Escape($"{Folder(plugin.Location)} ({plugin.LoadContext})"));
            }
            AnsiConsole.Write(table);
            AnsiConsole.WriteLine($"Searched: {string.Join(", ", searched)}");
            foreach (var failure in catalog.Failures)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]Skipped[/] {failure.Location}: {failure.Reason}");
            }
            return catalog.Failures.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static int ShowOptions(Core.Plugins.PluginCatalog catalog, string name)
    {
        var (kind, type) = catalog.Drivers.TryGetValue(name, out var driver) ? ($"[Device:<id>] with Driver = {driver.Name}", driver.OptionsType)
            : catalog.Services.TryGetValue(name, out var service) ? ($"[{service.Name}]", service.OptionsType)
            : (null, null);
        if (type is null)
        {
            Console.Error.WriteLine($"No driver or service '{name}'. Drivers: {string.Join(", ", catalog.Drivers.Keys.Order())}; services: {string.Join(", ", catalog.Services.Keys.Order())}.");
            return ExitCodes.ConfigInvalid;
        }
        AnsiConsole.MarkupLineInterpolated($"Keys of {kind}:");
        var table = new Table().AddColumns("Key", "Accepts", "Default", "Range", "What it does");
        foreach (var key in OptionDocs.Of(type))
        {
            table.AddRow(Markup.Escape(key.Key + (key.Required ? " (required)" : "")), Markup.Escape(key.Accepts), Markup.Escape(key.Default),
                Markup.Escape(key.Range ?? ""), Markup.Escape(key.Description ?? ""));
        }
        AnsiConsole.Write(table);
        return ExitCodes.Ok;
    }
}
