using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EnergyHub.Devices;
using EnergyHub.Readings;
using Spectre.Console;

namespace EnergyHub.Cli;

/// <summary>
/// <c>energyhub goe status|set</c>: one go-e charger without a config file, through the real goe driver (built from a
/// one-device config). <c>set</c> checks its values before anything is sent.
/// </summary>
public static class GoECommand
{
    public static Command Create(Option<string[]> pluginDirs)
    {
        var host = new Option<string>("--host") { Description = "The charger: 192.168.1.30, 192.168.1.30:8080 or http://192.168.1.30.", Required = true };
        var api = new Option<string>("--api") { Description = "Auto, V2 or V1.", DefaultValueFactory = _ => "Auto" };
        var json = new Option<bool>("--json") { Description = "Print the reading as JSON." };
        var current = new Option<double?>("--current") { Description = "Charging current per phase, A (6–32, whole amps; 0 pauses)." };
        var phases = new Option<int?>("--phases") { Description = "1 or 3 (API v2 with a phase relay)." };
        var force = new Option<string?>("--force") { Description = "on (charge now), off (never charge) or neutral (the charger's own logic)." };

        var status = new Command("status", "Read the charger once: car state, power, currents, energy, and why it is or is not charging.") { host, api, json };
        status.SetAction((parse, ct) => WithChargerAsync(parse, pluginDirs, host, api, safeState: "Off", async charger =>
        {
            var reading = await charger.ReadAsync(ct);
            Print(reading.Charger!, parse.GetValue(json));
            return ExitCodes.Ok;
        }));

        var set = new Command("set", "Set the current, the phases or the force state, confirmed by the charger.") { host, api, current, phases, force };
        set.SetAction((parse, ct) =>
        {
            var (amps, phaseCount, forced) = (parse.GetValue(current), parse.GetValue(phases), parse.GetValue(force)?.ToLowerInvariant());
            if (Problem(amps, phaseCount, forced) is { } problem)
            {
                Console.Error.WriteLine($"{problem}; nothing was sent.");
                return Task.FromResult(ExitCodes.ConfigInvalid);
            }
            return WithChargerAsync(parse, pluginDirs, host, api, safeState: forced == "neutral" ? "ChargerLogic" : "Off", async charger =>
            {
                if (forced is "on" or "off")
                {
                    await ((ISwitch)charger).SetSwitchAsync(forced == "on", ct);
                }
                else if (forced == "neutral")
                {
                    await ((ISafeState)charger).EnterSafeStateAsync(ct); // SafeState = ChargerLogic: frc = 0
                }
                if (phaseCount is { } p)
                {
                    if (!Abilities.Has(charger, typeof(IPhaseSwitcher)))
                    {
                        Console.Error.WriteLine("This charger cannot switch phases (API v2 and a phase relay are needed); nothing more was sent.");
                        return ExitCodes.Failure;
                    }
                    await ((IPhaseSwitcher)charger).SetPhasesAsync(p, ct);
                }
                if (amps is { } a)
                {
                    await ((ICurrentLimiter)charger).SetChargeCurrentAsync(a, ct);
                }
                Console.WriteLine($"Set on {parse.GetValue(host)} and confirmed by the charger; the next status shows it within a second or two.");
                return ExitCodes.Ok;
            });
        });

        return new Command("goe", "Talk to a go-e wallbox without a config file.") { status, set };
    }

    private static string? Problem(double? amps, int? phases, string? force) =>
        amps is null && phases is null && force is null ? "give --current, --phases or --force"
        : amps is { } a && (!double.IsFinite(a) || a < 0 || (a > 0 && a < 6) || a > 32) ? $"--current {a.ToString(CultureInfo.InvariantCulture)}: 0 (pause) or 6–32 A"
        : phases is { } p && p is not (1 or 3) ? $"--phases {p}: 1 or 3"
        : force is not (null or "on" or "off" or "neutral") ? $"--force {force}: on, off or neutral"
        : null;

    private static void Print(EvChargerReading charger, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(charger, new JsonSerializerOptions(JsonSerializerDefaults.Web)
            {
                WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
                DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
            }));
            return;
        }
        var table = new Table().AddColumns(new TableColumn("Value"), new TableColumn("Reading").RightAligned(), new TableColumn("Unit"));
        table.AddRow("Car", Markup.Escape($"{charger.Car} (code {charger.StateCode?.ToString(CultureInfo.InvariantCulture) ?? "none"})"), "");
        foreach (var value in ReadingSeries.Flatten(new DeviceReading { Timestamp = DateTimeOffset.UtcNow, Charger = charger }))
        {
            table.AddRow(Markup.Escape(value.Name), value.Value.ToString("0.###", CultureInfo.InvariantCulture), Markup.Escape(value.Unit));
        }
        table.AddRow("Phases", charger.Phases.ToString(CultureInfo.InvariantCulture), "");
        table.AddRow("Why", Markup.Escape(charger.Reason ?? "(the charger does not say)"), "");
        table.AddRow("Error", Markup.Escape(charger.Error ?? "none"), "");
        AnsiConsole.Write(table);
    }

    private static async Task<int> WithChargerAsync(ParseResult parse, Option<string[]> pluginDirs, Option<string> host, Option<string> api, string safeState,
        Func<IEvCharger, Task<int>> action)
    {
        try
        {
            return await Bootstrap.WithOneDeviceAsync("goe", $"""
                Driver = goe
                Host = {parse.GetValue(host)}
                Api = {parse.GetValue(api)}
                SafeState = {safeState}
                """, parse.GetValue(pluginDirs) ?? [], device => action((IEvCharger)device));
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or ArgumentOutOfRangeException or FormatException or InvalidOperationException)
        {
            Console.Error.WriteLine($"goe {parse.GetValue(host)}: {ex.Message}");
            return ExitCodes.Failure;
        }
    }
}
