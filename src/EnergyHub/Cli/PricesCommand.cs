using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EnergyHub.Devices;
using EnergyHub.Readings;
using Spectre.Console;

namespace EnergyHub.Cli;

/// <summary><c>energyhub prices</c>: the next hours of every price source, import and feed-in, negative feed-in marked.</summary>
public static class PricesCommand
{
    public static Command Create(Option<string[]> pluginDirs)
    {
        var config = new Option<string?>("--config") { Description = "The config.ini whose price sources to read (default: $ENERGYHUB_CONFIG, ./config.ini, the demo site)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var hours = new Option<int>("--hours") { Description = "How many hours ahead to show.", DefaultValueFactory = _ => 24 };
        var cached = new Option<bool>("--cached") { Description = "When a live fetch fails, show the prices a source cached on an earlier run (still exits 1)." };
        var command = new Command("prices", "Fetch every price source once and print the next 24 hours: import and feed-in per kWh (feed-in = what you are paid; negative = you pay to export).")
        {
            config, json, hours, cached,
        };
        command.SetAction((parse, cancellationToken) => Bootstrap.WithSiteAsync(parse.GetValue(config), parse.GetValue(pluginDirs) ?? [], async (located, site, devices) =>
        {
            var sources = devices.Sessions.Where(s => s.Device is IPriceSource).ToList();
            if (sources.Count == 0)
            {
                Console.Error.WriteLine($"{located.Path}: no price source is configured; add a [Device:<id>] with Driver = amber or Driver = pse.");
                return ExitCodes.ConfigInvalid;
            }
            var now = DateTimeOffset.UtcNow;
            var showCached = parse.GetValue(cached);
            var horizon = now.AddHours(parse.GetValue(hours));
            var results = new List<(string Device, PriceSeries? Series, string? Error, DateTimeOffset? FetchedAt)>();
            foreach (var session in sources)
            {
                try
                {
                    var reading = await session.RunAsync((device, ct) => device.ReadAsync(ct).AsTask(), cancellationToken);
                    // A source serves its cached series when the live fetch fails; its fetch time then predates this run.
                    var live = reading.Timestamp >= now;
                    var error = live ? null : $"the live fetch failed (see the warning above); the last prices were fetched at {reading.Timestamp:u}" +
                        (showCached ? ", shown below from the cache" : "; pass --cached to show them");
                    if (!live && !showCached)
                    {
                        results.Add((session.Id, null, error, reading.Timestamp));
                        continue;
                    }
                    var upcoming = reading.Prices!.Intervals.Where(i => i.End > now && i.Start < horizon).ToList();
                    results.Add((session.Id, reading.Prices with { Intervals = upcoming }, error, reading.Timestamp));
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    results.Add((session.Id, null, ex.Message, null));
                }
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(results.Select(r => new
                {
                    device = r.Device,
                    currency = r.Series?.Currency,
                    fetchedAt = r.FetchedAt,
                    error = r.Error,
                    intervals = r.Series?.Intervals.Select(i => new
                    {
                        start = i.Start, end = i.End, importPerKwh = i.ImportPerKwh, feedInPerKwh = i.FeedInPerKwh,
                        isForecast = i.IsForecast, negativeFeedIn = i.FeedInPerKwh < 0, descriptor = i.Descriptor,
                    }),
                }), new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                foreach (var (device, series, error, fetchedAt) in results)
                {
                    if (error is not null)
                    {
                        AnsiConsole.MarkupLineInterpolated($"[red]{device}: {error}[/]");
                    }
                    if (series is null)
                    {
                        continue;
                    }
                    AnsiConsole.MarkupLineInterpolated($"{device}: {series.Intervals.Count} intervals, {series.Currency}/kWh, fetched {fetchedAt:u}; times are the site's ({site.Common.Zone.Id})");
                    var table = new Table().AddColumns(new TableColumn("Start"), new TableColumn("End"), new TableColumn("Import").RightAligned(),
                        new TableColumn("Feed-in (paid)").RightAligned(), new TableColumn("Kind"), new TableColumn(""));
                    foreach (var interval in series.Intervals)
                    {
                        var feedIn = interval.FeedInPerKwh.ToString("0.0000", CultureInfo.InvariantCulture);
                        table.AddRow(
                            TimeZoneInfo.ConvertTime(interval.Start, site.Common.Zone).ToString("ddd HH:mm", CultureInfo.InvariantCulture),
                            TimeZoneInfo.ConvertTime(interval.End, site.Common.Zone).ToString("HH:mm", CultureInfo.InvariantCulture),
                            interval.ImportPerKwh.ToString("0.0000", CultureInfo.InvariantCulture),
                            interval.FeedInPerKwh < 0 ? $"[red]{feedIn}[/]" : feedIn,
                            interval.IsForecast ? "forecast" : "final",
                            interval.FeedInPerKwh < 0 ? "[red]negative feed-in: exporting costs money[/]" : "");
                    }
                    AnsiConsole.Write(table);
                }
            }
            return results.Any(r => r.Error is not null) ? ExitCodes.Failure : ExitCodes.Ok;
        }));
        return command;
    }
}
