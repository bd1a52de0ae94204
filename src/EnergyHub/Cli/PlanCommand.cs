using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EnergyHub.Core.Journal;
using EnergyHub.Readings;
using EnergyHub.Services.BatteryScheduler;
using Spectre.Console;

namespace EnergyHub.Cli;

/// <summary><c>energyhub plan</c>: the BatteryScheduler's plan over the published prices, now, as a table and a chart, with its cost against no control.</summary>
public static class PlanCommand
{
    private const string Blocks = "▁▂▃▄▅▆▇█";

    public static Command Create(Option<string[]> pluginDirs)
    {
        var config = new Option<string?>("--config") { Description = "The config.ini with [Services] BatteryScheduler = true (default: $ENERGYHUB_CONFIG, ./config.ini)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("plan", "Read the battery, the grid meter, the PV inverter and the prices once and print the battery plan over every published " +
            "price (today's, and tomorrow's once published): each slot's action and why, a chart of price and state of charge, and the expected cost against " +
            "the battery's own self-consumption. The forecast is the running service's PV and load history from the journal, when there is one.")
        {
            config, json,
        };
        command.SetAction((parse, cancellationToken) => Bootstrap.WithSiteAsync(parse.GetValue(config), parse.GetValue(pluginDirs) ?? [], async (located, site, devices) =>
        {
            if (site.Services.FirstOrDefault(s => s.Name == BatterySchedulerService.ServiceName)?.Options is not BatterySchedulerOptions options)
            {
                Console.Error.WriteLine($"{located.Path}: [Services] BatteryScheduler is not on: set BatteryScheduler = true and name Battery, Prices and GridMeter in [BatteryScheduler].");
                return ExitCodes.ConfigInvalid;
            }
            async Task<DeviceReading?> Read(string id)
            {
                if (id.Length == 0 || !devices.TryGet(id, out var session))
                {
                    return null;
                }
                try
                {
                    return await session.RunAsync((device, ct) => device.ReadAsync(ct).AsTask(), cancellationToken);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    Console.Error.WriteLine($"{id}: cannot be read ({ex.Message}); check the device, or run `energyhub devices` to see what each one answers.");
                    return null;
                }
            }
            var battery = (await Read(options.Battery))?.Battery;
            var grid = (await Read(options.GridMeter))?.Meter;
            var prices = (await Read(options.Prices))?.Prices;
            var pvW = options.Inverter.Length == 0 ? 0 : (await Read(options.Inverter))?.Inverter?.PvPowerW;
            if (battery is null || grid is null || prices is null || pvW is null)
            {
                Console.Error.WriteLine("No plan: the battery, the grid meter, the prices and the inverter must all answer (see above).");
                return ExitCodes.Failure;
            }
            var now = DateTimeOffset.UtcNow;
            var slots = PriceSlots.From(prices, now);
            if (slots.Count == 0)
            {
                Console.Error.WriteLine($"{options.Prices}: no prices ahead; check the source with `energyhub prices`.");
                return ExitCodes.Failure;
            }
            var loadW = Math.Max(0, grid.PowerW + pvW.Value - battery.PowerW);
            var history = new SiteHistory(BatteryPlanning.HistoryDays);
            var historyFrom = "a clear sky and the load now (no journal with the service's history)";
            if (File.Exists(site.JournalPath) && new JournalStateStore(site.JournalPath, TimeProvider.System).Load(BatterySchedulerService.ServiceName, "history") is { } kept)
            {
                history.Restore(kept);
                historyFrom = $"the service's PV and load history in {site.JournalPath}";
            }
            var spec = BatteryPlanning.Spec(options, devices.TryGet(options.Battery, out var b) ? EnergyHub.Site.DeviceFacts.Of(b.Device, confirmed: false).Battery : null);
            var ratedW = devices.TryGet(options.Inverter, out var inverter) ? EnergyHub.Site.DeviceFacts.Of(inverter.Device, confirmed: false).RatedPowerW : null;
            var (plan, forecast) = BatteryPlanning.Plan(options, spec, slots, history, battery.SocPct, pvW.Value, loadW, BatteryPlanning.Target(options, now, site.Common.Zone), site.Common.Zone,
                BatteryPlanning.ClearSkyOf(options, site.Common.Zone, ratedW));
            var none = ScheduleReplay.Run(forecast, spec, battery.SocPct, i => i + 1, _ => BatteryOrder.SelfConsume).NetCost;
            var planned = ScheduleReplay.Run(forecast, spec, battery.SocPct, i => i + 1, v => new BatteryOrder(PlannedAction.Hold, plan.Slots[v.Index].BatteryKw, "")).NetCost;
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    currency = prices.Currency, socPct = battery.SocPct, forecastFrom = historyFrom, planCost = planned, selfConsumptionCost = none,
                    targetMissedPct = plan.TargetMissedPct, slots = plan.Slots,
                }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } }));
                return ExitCodes.Ok;
            }
            Print(plan, forecast, prices.Currency, battery.SocPct, historyFrom, planned, none);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Print(BatteryPlan plan, IReadOnlyList<PlanSlot> forecast, string currency, double socPct, string historyFrom, double planned, double none)
    {
        static string N(double v, string format = "0.00") => v.ToString(format, CultureInfo.InvariantCulture);
        static string Time(PlannedSlot slot) => slot.Start.ToString("ddd HH:mm", CultureInfo.InvariantCulture);
        static string Soc(PlannedSlot slot) => $"{N(slot.SocStartPct, "0")} → {N(slot.SocEndPct, "0")}";
        if (AnsiConsole.Profile.Width < WideTable)
        {
            // Too narrow for eight columns (the reason would get a dozen characters): each slot's figures, then its reason.
            AnsiConsole.WriteLine($"Each slot: local time, action, battery and grid kW, SOC %, import / feed-in {currency}/kWh; why below it.");
            foreach (var slot in plan.Slots)
            {
                AnsiConsole.WriteLine($"{Time(slot),-9}  {slot.Action,-14}  battery {N(slot.BatteryKw, "0.0"),5} kW  grid {N(slot.GridKw, "0.0"),5} kW  " +
                    $"SOC {Soc(slot)}  {N(slot.ImportPerKwh, "0.000")} / {N(slot.FeedInPerKwh, "0.000")}");
                AnsiConsole.Write(new Padder(new Text(slot.Why), new Padding(ReasonIndent, 0, 0, 0)) { Expand = false });
            }
        }
        else
        {
            var table = new Table().AddColumns("Local time", "Action", "Battery kW", "Grid kW", "SOC %", $"Import {currency}/kWh", $"Feed-in {currency}/kWh", "Why");
            foreach (var slot in plan.Slots)
            {
                table.AddRow(Markup.Escape(Time(slot)), slot.Action.ToString(), N(slot.BatteryKw, "0.0"), N(slot.GridKw, "0.0"),
                    Soc(slot), N(slot.ImportPerKwh, "0.000"), N(slot.FeedInPerKwh, "0.000"), Markup.Escape(slot.Why));
            }
            AnsiConsole.Write(table);
        }
        AnsiConsole.MarkupLineInterpolated($"Import price {Spark(plan.Slots.Select(s => s.ImportPerKwh).ToList())}");
        AnsiConsole.MarkupLineInterpolated($"State of charge {Spark(plan.Slots.Select(s => s.SocEndPct).Prepend(socPct).ToList(), 0, 100)}");
        AnsiConsole.MarkupLineInterpolated($"PV forecast {Spark(forecast.Select(s => s.PvKwh).ToList(), 0)}  (from {historyFrom})");
        AnsiConsole.MarkupLineInterpolated($"Expected cost: {N(planned)} {currency} with the plan, {N(none)} {currency} with the battery's own self-consumption (saving {N(none - planned)} {currency}).");
        if (plan.TargetMissedPct > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]The target state of charge is missed by {N(plan.TargetMissedPct, "0.#")} %: the battery cannot charge that much in time.[/]");
        }
    }

    // The table needs this many columns to give each reason room for a few words per line.
    private const int WideTable = 160;
    private const int ReasonIndent = 11;

    // A line of block characters, lowest to highest value (or the given bounds).
    private static string Spark(IReadOnlyList<double> values, double? min = null, double? max = null)
    {
        var low = min ?? values.Min();
        var high = max ?? values.Max();
        return string.Concat(values.Select(v => Blocks[high - low < 1e-12 ? 0 : (int)Math.Round(Math.Clamp((v - low) / (high - low), 0, 1) * (Blocks.Length - 1))]));
    }
}
