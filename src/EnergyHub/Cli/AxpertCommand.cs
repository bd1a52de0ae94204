using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EnergyHub.Protocols.Pi30;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace EnergyHub.Cli;

/// <summary>
/// <c>energyhub axpert status|mode|ratings|warnings|info|send</c>: talk PI30 to one Axpert / Voltronic inverter over
/// hidraw or serial without a config file, through the same link (retries, CRC check) the driver uses.
/// </summary>
public static class AxpertCommand
{
    /// <summary>Builds the <c>axpert</c> verb and its sub-verbs.</summary>
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "The device node, e.g. /dev/hidraw0 or /dev/ttyUSB0.", Required = true };
        var transport = new Option<string>("--transport") { Description = "hid (USB, /dev/hidrawN) or serial (RS-232, 2400 8N1).", DefaultValueFactory = _ => "hid" };
        transport.AcceptOnlyFromAmong("hid", "serial");
        var baud = new Option<int>("--baud") { Description = "Serial speed.", DefaultValueFactory = _ => 2400 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one reply may take.", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        Option[] link = [device, transport, baud, timeout, json];

        Command Linked(Command command)
        {
            foreach (var option in link)
            {
                command.Options.Add(option);
            }
            return command;
        }

        Command Verb(string name, string description, string query, Func<string, object> decode)
        {
            var command = Linked(new Command(name, description));
            command.SetAction((parse, ct) => WithLinkAsync(parse, device, transport, baud, timeout, async axpert =>
            {
                Print(decode(await axpert.QueryAsync(query, ct)), parse.GetValue(json));
                return ExitCodes.Ok;
            }));
            return command;
        }

        var status = Verb("status", "QPIGS: PV, battery, AC output and status flags, with units.", "QPIGS", payload => Qpigs.Parse(payload));
        var mode = Verb("mode", "QMOD: the operating mode.", "QMOD", payload => new { Mode = Pi30Replies.Mode(payload) });
        var ratings = Verb("ratings", "QPIRI: ratings and charger settings (bulk/float voltages, currents, priorities).", "QPIRI", payload => Pi30Replies.ParseRatings(payload));
        var warnings = Verb("warnings", "QPIWS: every active warning by name, and whether it is a fault.", "QPIWS",
            payload => Pi30Replies.ActiveWarnings(payload).Select(w => new { w.Name, w.Fault }).ToList());

        var info = Linked(new Command("info", "QID and QVFW: serial number and firmware version."));
        info.SetAction((parse, ct) => WithLinkAsync(parse, device, transport, baud, timeout, async axpert =>
        {
            var serial = Pi30Replies.SerialNumber(await axpert.QueryAsync("QID", ct));
            var firmware = Pi30Replies.FirmwareVersion(await axpert.QueryAsync("QVFW", ct));
            Print(new { SerialNumber = serial, FirmwareVersion = firmware }, parse.GetValue(json));
            return ExitCodes.Ok;
        }));

        var name = new Argument<string>("command") { Description = "A PI30 command, e.g. QPIGS, QVFW or PBFT." };
        var argument = new Argument<string?>("value") { Description = "Its argument, appended as given, e.g. 53.0 for PBFT.", Arity = ArgumentArity.ZeroOrOne };
        var send = Linked(new Command("send", "Send one raw PI30 command and print its reply. PBFT and PCVV are checked against the battery rating (QPIRI) first.")
        {
            name, argument,
        });
        send.SetAction((parse, ct) => WithLinkAsync(parse, device, transport, baud, timeout, async axpert =>
        {
            var command = parse.GetValue(name)!.Trim().ToUpperInvariant() + (parse.GetValue(argument) ?? "");
            if (command.StartsWith('Q'))
            {
                Print(new { Command = command, Reply = await axpert.QueryAsync(command, ct) }, parse.GetValue(json));
                return ExitCodes.Ok;
            }
            if (command.StartsWith("PBFT", StringComparison.Ordinal) || command.StartsWith("PCVV", StringComparison.Ordinal))
            {
                if (!double.TryParse(command[4..], NumberStyles.Float, CultureInfo.InvariantCulture, out var volts))
                {
                    Console.Error.WriteLine($"{command[..4]} needs a voltage with . as the decimal point, e.g. `energyhub axpert send {command[..4]} 53.0 --device ...`; nothing was sent.");
                    return ExitCodes.Failure;
                }
                var rating = Pi30Replies.ParseRatings(await axpert.QueryAsync("QPIRI", ct)).BatteryRatingV;
                command = command.StartsWith("PBFT", StringComparison.Ordinal) ? Pi30Setters.FloatVoltage(volts, rating) : Pi30Setters.BulkVoltage(volts, rating);
            }
            await axpert.SetAsync(command, ct);
            Print(new { Command = command, Reply = "ACK" }, parse.GetValue(json));
            return ExitCodes.Ok;
        }));

        return new Command("axpert", "Query or set an Axpert / Voltronic / MPP Solar inverter over USB (hidraw) or serial, without a config file.")
        {
            status, mode, ratings, warnings, info, send,
        };
    }

    private static async Task<int> WithLinkAsync(ParseResult parse, Option<string> device, Option<string> transport, Option<int> baud, Option<double> timeout,
        Func<AxpertLink, Task<int>> action)
    {
        var node = parse.GetValue(device)!;
        await using var link = AxpertLink.Open(node, parse.GetValue(transport) == "hid", parse.GetValue(baud), TimeSpan.FromSeconds(parse.GetValue(timeout)), NullLogger.Instance);
        try
        {
            return await action(link);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or FormatException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            Console.Error.WriteLine($"axpert {node}: {ex.Message}");
            Console.Error.WriteLine(ex is UnauthorizedAccessException
                ? "Run as a user allowed to open the node (a udev rule, see config/examples/axpert-offgrid.ini) or check the path."
                : ex is ArgumentOutOfRangeException
                    ? "Nothing was sent; use a value in the range above."
                    : "Check the cable and the node (ls /dev/hidraw* /dev/ttyUSB*), --transport, and for serial --baud 2400.");
            return ExitCodes.Failure;
        }
    }

    private static void Print(object value, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true }));
            return;
        }
        var table = new Table().AddColumns("Field", "Value");
        var rows = value is System.Collections.IEnumerable list and not string
            ? list.Cast<object>().SelectMany(Properties)
            : Properties(value);
        foreach (var (field, text) in rows)
        {
            table.AddRow(Markup.Escape(field), Markup.Escape(text));
        }
        if (table.Rows.Count == 0)
        {
            table.AddRow("(none)", "");
        }
        AnsiConsole.Write(table);
    }

    private static IEnumerable<(string Field, string Value)> Properties(object value) =>
        value.GetType().GetProperties().Select(p => (p.Name, Convert.ToString(p.GetValue(value), CultureInfo.InvariantCulture) ?? ""));
}
