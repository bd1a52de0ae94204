using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EnergyHub.Core.Config;
using EnergyHub.Core.Simulation;
using Spectre.Console;

namespace EnergyHub.Cli;

/// <summary><c>energyhub simulate</c>: runs configurations against the simulated site on a virtual clock and prints KPIs.</summary>
public static class SimulateCommand
{
    /// <summary>Where a replay starts without <c>--from</c>: midnight at the simulated site (AEST) of the shipped price day.</summary>
    public static readonly DateTimeOffset DefaultFrom = new(2025, 11, 11, 14, 0, 0, TimeSpan.Zero);

    public static Command Create(Option<string[]> pluginDirs)
    {
        var config = new Option<string?>("--config") { Description = "The config to simulate (its devices should be sim-* devices)." };
        var compare = new Option<string[]>("--compare") { Description = "Several configs to run over the same data, side by side (e.g. a baseline without services).", AllowMultipleArgumentsPerToken = true };
        var from = new Option<string?>("--from") { Description = "Start: an ISO date or time; a date means midnight UTC (default 2025-11-11T14:00Z, midnight at the simulated site)." };
        var to = new Option<string?>("--to") { Description = "End (default: one day after --from)." };
        var step = new Option<string>("--step") { Description = "Simulation step, e.g. 10s.", DefaultValueFactory = _ => "10s" };
        var threshold = new Option<double>("--feed-in-threshold") { Description = "Export while the feed-in price is below this (per kWh) is counted separately.", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var csv = new Option<string?>("--csv") { Description = "Write a timeline (one line per step) to this CSV file, and the best possible schedule beside it (NAME-best.csv, one line per oracle bucket); with --compare, one pair per config." };
        var command = new Command("simulate", "Run the configured services against the simulated site on a virtual clock, as fast as possible, and print KPIs (energy, cost, curtailment, export at low prices, commands) next to the best possible net cost.")
        {
            config, compare, from, to, step, threshold, json, csv,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var files = (parse.GetValue(compare) ?? []).ToList();
            if (parse.GetValue(config) is { } single)
            {
                files.Insert(0, single);
            }
            if (files.Count == 0)
            {
                Console.Error.WriteLine("Give a config with --config FILE (or several with --compare A.ini B.ini).");
                return ExitCodes.ConfigInvalid;
            }
            if (!TryTime(parse.GetValue(from), DefaultFrom, out var start) || !TryTime(parse.GetValue(to), start.AddDays(1), out var end) || end <= start)
            {
                Console.Error.WriteLine("--from and --to must be ISO dates or times (e.g. 2025-11-12 or 2025-11-12T06:00:00+10:00), --to after --from.");
                return ExitCodes.ConfigInvalid;
            }
            if (!Durations.TryParse(parse.GetValue(step)!, out var stepSize) || stepSize <= TimeSpan.Zero)
            {
                Console.Error.WriteLine($"--step: {Durations.Allowed}.");
                return ExitCodes.ConfigInvalid;
            }

            using var loggers = Bootstrap.ConsoleLoggers(Microsoft.Extensions.Logging.LogLevel.Warning);
            var results = new List<SimulationResult>();
            // Every config is loaded and checked before any runs: a real device anywhere stops everything, before anything is opened.
            var replays = new List<(string File, SiteReplay Replay)>();
            foreach (var file in files)
            {
                if (Bootstrap.TryLoad(Bootstrap.Loader(loggers, parse.GetValue(pluginDirs) ?? []), file) is not { } site)
                {
                    return ExitCodes.ConfigInvalid;
                }
                try
                {
                    replays.Add((file, new SiteReplay(site.Config, loggers)));
                }
                catch (ConfigException ex)
                {
                    Bootstrap.PrintErrors(ex);
                    return ExitCodes.ConfigInvalid;
                }
            }
            foreach (var (file, replay) in replays)
            {
                var csvPath = parse.GetValue(csv) is { } path ? (files.Count > 1 ? Path.ChangeExtension(path, null) + "-" + Path.GetFileNameWithoutExtension(file) + ".csv" : path) : null;
                await using var timeline = csvPath is null ? null : new StreamWriter(csvPath);
                await using var bestTimeline = csvPath is null ? null : new StreamWriter(Path.ChangeExtension(csvPath, null) + "-best.csv");
                try
                {
                    results.Add(await WithProgress($"{Path.GetFileName(file)} {start:u} → {end:u}", parse.GetValue(json),
                        progress => replay.RunAsync(Path.GetFileName(file), start, end, stepSize, parse.GetValue(threshold), timeline, bestTimeline, progress,
                            cancellationToken)));
                }
                catch (ConfigException ex)
                {
                    Bootstrap.PrintErrors(ex);
                    return ExitCodes.ConfigInvalid;
                }
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(results.Select(r => new
                {
                    config = r.Name, r.Kpis, netCost = r.Kpis.NetCost, oracleNetCost = r.OracleNetCost, noControlNetCost = r.NoControlNetCost,
                    regret = r.Regret, regretPctOfSaving = r.RegretPctOfSaving, startSocPct = r.StartSocPct, endSocPct = r.EndSocPct, steps = r.Steps,
                    elapsedSeconds = r.Elapsed.TotalSeconds, stepsPerSecond = r.StepsPerSecond,
                }), new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                PrintTable(results, start, end, stepSize, parse.GetValue(threshold));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<SimulationResult> WithProgress(string label, bool quiet, Func<IProgress<double>, Task<SimulationResult>> run)
    {
        if (!Console.IsErrorRedirected && !quiet)
        {
            SimulationResult? result = null;
            await AnsiConsole.Progress().StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(label), maxValue: 1);
                result = await run(new Progress<double>(f => task.Value = f));
            });
            return result!;
        }
        var lastTenth = -1;
        return await run(new SyncProgress(f =>
        {
            var tenth = (int)(f * 10);
            if (tenth != lastTenth)
            {
                lastTenth = tenth;
                Console.Error.WriteLine($"simulate {label}: {tenth * 10} %");
            }
        }));
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    private static void PrintTable(List<SimulationResult> results, DateTimeOffset start, DateTimeOffset end, TimeSpan step, double threshold)
    {
        // Without a price source nothing is priced: the money rows say so instead of showing 0.00 in no currency.
        var currency = results.Select(r => r.Kpis.Currency).FirstOrDefault(c => c.Length > 0);
        var priced = currency is not null;
        currency ??= "no prices read";
        var table = new Table().AddColumn("KPI");
        foreach (var r in results)
        {
            table.AddColumn(new TableColumn(Markup.Escape(r.Name)).RightAligned());
        }
        void Row(string name, Func<SimulationResult, string> value) => table.AddRow([Markup.Escape(name), .. results.Select(r => Markup.Escape(value(r)))]);
        static string N(double v, string format = "0.00") => v.ToString(format, CultureInfo.InvariantCulture);
        Row("PV produced, kWh", r => N(r.Kpis.PvProducedKwh));
        Row("PV curtailed, kWh", r => N(r.Kpis.PvCurtailedKwh));
        Row("  of which unavoidable (house and battery at their limit), kWh", r => N(r.Kpis.UnavoidableCurtailmentKwh));
        Row("  of which unnecessary (the battery could have taken it), kWh", r => N(r.Kpis.UnnecessaryCurtailmentKwh));
        Row("Grid import, kWh", r => N(r.Kpis.GridImportKwh));
        Row("Grid export, kWh", r => N(r.Kpis.GridExportKwh));
        Row($"Export while feed-in < {N(threshold, "0.###")} {currency}/kWh, kWh", r => N(r.Kpis.ExportBelowThresholdKwh));
        Row($"Import cost, {currency}", r => priced ? N(r.Kpis.ImportCost) : "-");
        Row($"Feed-in revenue, {currency}", r => priced ? N(r.Kpis.FeedInRevenue) : "-");
        Row($"Net cost, {currency}", r => priced ? N(r.Kpis.NetCost) : "-");
        Row($"No control (no battery, no curtailment, same loads), {currency}", r => priced ? N(r.NoControlNetCost) : "-");
        Row($"Best possible net cost at the run's end SOC (LP), {currency}", r => priced && r.OracleNetCost is { } o ? N(o) : "-");
        Row($"Regret (net cost − best possible), {currency}", r => priced && r.Regret is { } g ? N(g) : "-");
        Row("  as a share of what best possible saves over no control, %", r => priced && r.RegretPctOfSaving is { } p ? N(p, "0.0") : "-");
        Row("Battery SOC at start → end, %", r => r.StartSocPct is { } a && r.EndSocPct is { } b ? $"{N(a, "0.0")} → {N(b, "0.0")}" : "-");
        Row("Self-consumption, %", r => N(r.Kpis.SelfConsumptionPct, "0.0"));
        Row("Battery throughput, kWh", r => N(r.Kpis.BatteryThroughputKwh));
        Row("Battery equivalent cycles", r => N(r.Kpis.BatteryEquivalentCycles));
        foreach (var consumer in results.SelectMany(r => r.Kpis.Consumers.Select(c => c.Device)).Distinct())
        {
            Row($"{consumer} from PV, kWh", r => N(r.Kpis.Consumers.FirstOrDefault(c => c.Device == consumer)?.FromPvKwh ?? 0));
            Row($"{consumer} from grid/battery, kWh", r => N(r.Kpis.Consumers.FirstOrDefault(c => c.Device == consumer)?.FromGridKwh ?? 0));
            Row($"{consumer} switched on, times", r => (r.Kpis.Consumers.FirstOrDefault(c => c.Device == consumer)?.SwitchCycles ?? 0).ToString(CultureInfo.InvariantCulture));
            Row($"{consumer} allowance changes", r => (r.Kpis.Consumers.FirstOrDefault(c => c.Device == consumer)?.AllowanceChanges ?? 0).ToString(CultureInfo.InvariantCulture));
            if (results.Any(r => r.Kpis.Consumers.Any(c => c.Device == consumer && c.PhaseSwitches > 0)))
            {
                Row($"{consumer} phase switches", r => (r.Kpis.Consumers.FirstOrDefault(c => c.Device == consumer)?.PhaseSwitches ?? 0).ToString(CultureInfo.InvariantCulture));
            }
        }
        Row("Device commands sent", r => r.Kpis.CommandsSent.ToString(CultureInfo.InvariantCulture));
        Row($"Inverter limit writes while feed-in < {N(threshold, "0.###")} (per hour)", r => $"{r.Kpis.LimitWritesWhileCostly} ({N(r.Kpis.LimitWritesPerCostlyHour, "0.0")})");
        Row("Steps per second", r => N(r.StepsPerSecond, "0"));
        AnsiConsole.MarkupLineInterpolated($"Simulated {start:u} → {end:u} in {Durations.Format(step)} steps");
        AnsiConsole.Write(table);
    }

    private static bool TryTime(string? text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            value = fallback;
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
