using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EnergyHub.Devices;
using EnergyHub.Readings;
using Spectre.Console;

namespace EnergyHub.Cli;

/// <summary>
/// <c>energyhub shelly status|switch</c>: one Shelly without a config file, through the real shelly driver (built from a
/// one-device config). The password comes from <c>--password</c> or <c>$SHELLY_PASSWORD</c>.
/// </summary>
public static class ShellyCommand
{
    public static Command Create(Option<string[]> pluginDirs)
    {
        var host = new Option<string>("--host") { Description = "The Shelly: 192.168.1.40, 192.168.1.40:8080 or http://192.168.1.40.", Required = true };
        var role = new Option<string>("--role") { Description = "Grid (+ import), Consumer (+ consuming) or PvInverter (+ producing).", DefaultValueFactory = _ => "Grid" };
        var id = new Option<int>("--id") { Description = "The channel (relay, meter).", DefaultValueFactory = _ => 0 };
        var password = new Option<string?>("--password") { Description = "When authentication is on (default: $SHELLY_PASSWORD)." };
        var json = new Option<bool>("--json") { Description = "Print the reading as JSON." };
        var state = new Argument<string>("state") { Description = "on or off." };

        var status = new Command("status", "Read the Shelly once: power (signed by its role), phases, energy counters.") { host, role, id, password, json };
        status.SetAction((parse, ct) => WithShellyAsync(parse, pluginDirs, host, role, id, password, async shelly =>
        {
            var reading = await shelly.ReadAsync(ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(reading.Meter, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns(new TableColumn("Value"), new TableColumn("Reading").RightAligned(), new TableColumn("Unit"));
            foreach (var value in ReadingSeries.Flatten(reading))
            {
                table.AddRow(Markup.Escape(value.Name), value.Value.ToString("0.###", CultureInfo.InvariantCulture), Markup.Escape(value.Unit));
            }
            AnsiConsole.MarkupLine(Markup.Escape(shelly.DisplayName));
            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));

        var @switch = new Command("switch", "Switch a relay on or off, read back from the device.") { host, id, password, state };
        @switch.SetAction((parse, ct) =>
        {
            if (parse.GetValue(state)?.ToLowerInvariant() is not ("on" or "off") )
            {
                Console.Error.WriteLine($"state '{parse.GetValue(state)}': on or off; nothing was sent.");
                return Task.FromResult(ExitCodes.ConfigInvalid);
            }
            return WithShellyAsync(parse, pluginDirs, host, role, id, password, async shelly =>
            {
                if (!Abilities.Has(shelly, typeof(ISwitch)))
                {
                    Console.Error.WriteLine($"{shelly.DisplayName} has no relay; nothing was sent.");
                    return ExitCodes.Failure;
                }
                var on = parse.GetValue(state)!.Equals("on", StringComparison.OrdinalIgnoreCase);
                await ((ISwitch)shelly).SetSwitchAsync(on, ct);
                Console.WriteLine($"Relay {parse.GetValue(id)} of {shelly.DisplayName} is {(on ? "on" : "off")}, read back from the device.");
                return ExitCodes.Ok;
            });
        });

        return new Command("shelly", "Talk to a Shelly meter or relay without a config file.") { status, @switch };
    }

    private static async Task<int> WithShellyAsync(ParseResult parse, Option<string[]> pluginDirs, Option<string> host, Option<string> role, Option<int> id,
        Option<string?> password, Func<IMeter, Task<int>> action)
    {
        // The password reaches the driver as an environment override, never through the temporary config file.
        if ((parse.GetValue(password) ?? Environment.GetEnvironmentVariable("SHELLY_PASSWORD")) is { Length: > 0 } secret)
        {
            Environment.SetEnvironmentVariable("ENERGYHUB_Device__shelly__Password", secret);
        }
        try
        {
            return await Bootstrap.WithOneDeviceAsync("shelly", string.Create(CultureInfo.InvariantCulture, $"""
                Driver = shelly
                Host = {parse.GetValue(host)}
                Role = {(parse.GetValue(role) is { Length: > 0 } r ? r : "Grid")}
                Channel = {parse.GetValue(id)}
                """), parse.GetValue(pluginDirs) ?? [], device => action((IMeter)device));
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or FormatException or InvalidOperationException)
        {
            Console.Error.WriteLine($"shelly {parse.GetValue(host)}: {ex.Message}");
            return ExitCodes.Failure;
        }
    }
}
