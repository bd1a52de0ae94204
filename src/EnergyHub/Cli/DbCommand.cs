using System.CommandLine;
using System.Globalization;
using EnergyHub.Core.Config;
using EnergyHub.Core.Journal;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace EnergyHub.Cli;

/// <summary><c>energyhub db vacuum|export</c>: maintenance of the journal of a config.</summary>
public static class DbCommand
{
    public static Command Create(Option<string[]> pluginDirs)
    {
        var config = new Option<string?>("--config") { Description = "The config whose journal to use: a site's, or a fleet's (default: $ENERGYHUB_CONFIG, ./config.ini, the demo site)." };

        var vacuum = new Command("vacuum", "Compact the journal (SQLite: VACUUM of the file, stop `energyhub run` first for the best result; Postgres: VACUUM ANALYZE).") { config };
        vacuum.SetAction(parse => WithJournal(parse, config, pluginDirs, journal =>
        {
            (long Before, long After) sizes = default;
            AnsiConsole.Status().Start($"Compacting {journal.Location} …", _ => sizes = journal.Vacuum());
            Console.WriteLine($"{journal.Location}: {sizes.Before / 1024.0 / 1024:0.0} MiB -> {sizes.After / 1024.0 / 1024:0.0} MiB");
            return ExitCodes.Ok;
        }));

        var from = new Option<string>("--from") { Description = "Start, ISO 8601 (UTC when no offset).", Required = true };
        var to = new Option<string>("--to") { Description = "End, ISO 8601.", Required = true };
        var series = new Option<string>("--series") { Description = "Comma-separated series, e.g. grid/Meter.PowerW,battery/Battery.SocPct (see /api/history for the list).", Required = true };
        var output = new Option<string>("--out") { Description = "The CSV file to write.", Required = true };
        var export = new Command("export", "Write the raw readings of some series in a time range as CSV (one row per instant, one column per series).") { config, from, to, series, output };
        export.SetAction(parse => WithJournal(parse, config, pluginDirs, journal =>
        {
            if (!DateTimeOffset.TryParse(parse.GetValue(from), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
                || !DateTimeOffset.TryParse(parse.GetValue(to), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end) || end <= start)
            {
                Console.Error.WriteLine("--from and --to must be ISO 8601 times, --to after --from (e.g. 2026-06-01T00:00:00Z).");
                return ExitCodes.ConfigInvalid;
            }
            var names = parse.GetValue(series)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var known = journal.Series().Select(s => s.Series).ToHashSet();
            if (names.FirstOrDefault(n => !known.Contains(n)) is { } unknown)
            {
                Console.Error.WriteLine($"No series '{unknown}' in {journal.Location}. Known: {string.Join(", ", known.Order())}");
                return ExitCodes.ConfigInvalid;
            }
            using var file = new StreamWriter(parse.GetValue(output)!);
            long rows = 0;
            if (Console.IsErrorRedirected)
            {
                rows = journal.ExportCsv(names, start, end, file);
            }
            else
            {
                AnsiConsole.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask("Exporting", maxValue: 1);
                    rows = journal.ExportCsv(names, start, end, file, new Progress<double>(f => task.Value = f));
                });
            }
            Console.WriteLine($"Wrote {rows} rows to {parse.GetValue(output)}");
            return ExitCodes.Ok;
        }));

        return new Command("db", "Maintain the journal: compact it, export readings as CSV.") { vacuum, export };
    }

    private static int WithJournal(ParseResult parse, Option<string?> config, Option<string[]> pluginDirs, Func<SiteJournal, int> action)
    {
        using var loggers = Bootstrap.ConsoleLoggers(Microsoft.Extensions.Logging.LogLevel.Warning);
        var located = ConfigLocator.Locate(parse.GetValue(config));
        if (Load(located.Path, loggers, parse.GetValue(pluginDirs) ?? []) is not { } site)
        {
            return ExitCodes.ConfigInvalid;
        }
        if (site.Journal.Backend == JournalBackend.Sqlite && !File.Exists(site.JournalPath))
        {
            Console.Error.WriteLine($"No journal at {site.JournalPath} yet; `energyhub run` (or `energyhub fleet`) creates it.");
            return ExitCodes.Failure;
        }
        try
        {
            using var journal = SiteJournal.Open(site, NullLogger.Instance);
            return action(journal);
        }
        catch (System.Data.Common.DbException ex)
        {
            Console.Error.WriteLine($"The journal's database cannot be used ({ex.Message}): check [Journal] ConnectionString in {located.Path} and that the server is up.");
            return ExitCodes.Failure;
        }
    }

    // A site's file, or a fleet's (it has a [Fleet] section and no devices): both name a journal.
    private static SiteConfig? Load(string path, Microsoft.Extensions.Logging.ILoggerFactory loggers, string[] pluginDirs)
    {
        if (Core.Fleet.FleetConfig.FleetDocument(path) is not { } fleet)
        {
            return Bootstrap.TryLoad(Bootstrap.Loader(loggers, pluginDirs), path)?.Config;
        }
        try
        {
            return Core.Fleet.FleetConfig.Validate(fleet).Site;
        }
        catch (ConfigException ex)
        {
            Bootstrap.PrintErrors(ex);
            return null;
        }
    }
}
