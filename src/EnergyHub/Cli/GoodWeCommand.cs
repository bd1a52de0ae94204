using EnergyHub.Readings;
using System.CommandLine;
using System.Globalization;
using EnergyHub.Core;
using EnergyHub.Devices;
using EnergyHub.Protocols.Modbus;
using Spectre.Console;

namespace EnergyHub.Cli;

/// <summary>
/// <c>energyhub goodwe read|limit|probe</c>: talk to one GoodWe inverter without a config file. <c>read</c> and
/// <c>limit</c> go through the real goodwe driver (built from a one-device config); <c>probe</c> asks the registers
/// the driver may use and says which answer.
/// </summary>
public static class GoodWeCommand
{
    // Registers the goodwe driver can use, by purpose (see plugins/EnergyHub.Plugins.GoodWe/GoodWeRegisters.cs).
    private static readonly (ushort Register, int Count, string Purpose)[] ProbeRegisters =
    [
        (30100, 73, "DT runtime block"), (30195, 15, "DT meter block"), (35100, 125, "ET runtime block"), (37000, 24, "ET battery block"),
        (256, 1, "active power limit, % (LimitMode = ActivePct)"), (291, 1, "export limit switch"), (292, 1, "export limit, % (ExportPct)"),
        (293, 1, "export limit, % x 10 (ExportPct)"), (40327, 1, "DT export limit enable"), (40328, 2, "single-phase DT export limit, W (ExportW)"),
        (40336, 1, "three-phase DT export limit, % (ExportW)"), (47509, 1, "ET export limit enable"), (47510, 1, "ET export limit, W (ExportW)"),
    ];

    public static Command Create(Option<string[]> pluginDirs)
    {
        var host = new Option<string>("--host") { Description = "The inverter's (or gateway's) address.", Required = true };
        var port = new Option<int>("--port") { Description = "Modbus TCP port.", DefaultValueFactory = _ => 502 };
        var unit = new Option<int>("--unit") { Description = "Modbus unit id (GoodWe default 247; some DT units use 127).", DefaultValueFactory = _ => 247 };
        var model = new Option<string>("--model") { Description = "Register family: Auto, Dt or Et.", DefaultValueFactory = _ => "Auto" };
        var rated = new Option<double>("--rated-w") { Description = "Rated output, W (100 % of the limit).", DefaultValueFactory = _ => 5000 };
        var mode = new Option<string>("--mode") { Description = "How the limit is written: ActivePct, ExportPct or ExportW.", DefaultValueFactory = _ => "ActivePct" };
        var pct = new Option<double>("--pct") { Description = "The limit, % of rated output (100 = no limit).", Required = true };

        var read = new Command("read", "Read telemetry and the limit registers once and print them with units.") { host, port, unit, model, rated };
        read.SetAction((parse, ct) => WithInverterAsync(parse, pluginDirs, host, port, unit, model, rated, null, async inverter =>
        {
            var reading = await inverter.ReadAsync(ct);
            var table = new Table().AddColumns(new TableColumn("Value"), new TableColumn("Reading").RightAligned(), new TableColumn("Unit"));
            foreach (var value in ReadingSeries.Flatten(reading))
            {
                table.AddRow(Markup.Escape(value.Name), value.Value.ToString("0.###", CultureInfo.InvariantCulture), Markup.Escape(value.Unit));
            }
            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));

        var limit = new Command("limit", "Write an active-power limit and read it back; `--pct 100` is the emergency \"turn the limiter off\".") { host, port, unit, model, rated, mode, pct };
        limit.SetAction((parse, ct) => parse.GetValue(pct) is var requested && (!double.IsFinite(requested) || requested is < 0 or > 100)
            ? Refuse($"--pct {requested.ToString(CultureInfo.InvariantCulture)}: a limit is 0–100 % of the rated output (100 = no limit); nothing was sent.")
            : WithInverterAsync(parse, pluginDirs, host, port, unit, model, rated, parse.GetValue(mode), async inverter =>
        {
            var percent = parse.GetValue(pct);
            if (Abilities.Has(inverter, typeof(IActivePowerLimiter)))
            {
                await ((IActivePowerLimiter)inverter).SetActivePowerLimitAsync(percent, ct);
                Console.WriteLine($"Limit set to {percent.ToString(CultureInfo.InvariantCulture)} % on {parse.GetValue(host)} and confirmed by reading it back.");
            }
            else
            {
                var watts = percent / 100 * inverter.RatedPowerW;
                await ((IExportLimiter)inverter).SetExportLimitAsync(watts, ct);
                Console.WriteLine($"Export capped at {percent.ToString(CultureInfo.InvariantCulture)} % ({watts.ToString("0", CultureInfo.InvariantCulture)} W) on {parse.GetValue(host)} and confirmed by reading it back.");
            }
            return ExitCodes.Ok;
        }));

        var probe = new Command("probe", "Ask every register the goodwe driver may use and report which ones this inverter answers.") { host, port, unit };
        probe.SetAction(async (parse, ct) =>
        {
            await using var transport = new ModbusTcpTransport(parse.GetValue(host)!, parse.GetValue(port), new ModbusTcpOptions { Timeout = TimeSpan.FromSeconds(3) });
            var client = new ModbusClient(transport);
            var table = new Table().AddColumns("Register", "Purpose", "Answer");
            var (answered, silent) = (0, 0);
            foreach (var (register, count, purpose) in ProbeRegisters)
            {
                string answer;
                try
                {
                    var values = await client.ReadHoldingRegistersAsync((byte)parse.GetValue(unit), register, count, ct);
                    answer = "[green]answers[/] " + Markup.Escape(string.Join(" ", values.Take(4).Select(v => v.ToString(CultureInfo.InvariantCulture)))) + (count > 4 ? " …" : "");
                    answered++;
                }
                catch (ModbusException ex)
                {
                    answer = $"[yellow]refused[/] ({ex.Code})";
                    answered++;
                }
                catch (Exception ex) when (ex is IOException or TimeoutException)
                {
                    answer = $"[red]no answer[/] ({Markup.Escape(ex.Message)})";
                    silent++;
                    await Task.Delay(transport.IsConnected ? 0 : 1100, ct);
                }
                table.AddRow(register.ToString(CultureInfo.InvariantCulture), Markup.Escape(purpose), answer);
                if (answered == 0 && silent == 2)
                {
                    break; // nobody there: asking the other registers would only take longer
                }
            }
            AnsiConsole.Write(table);
            if (answered == 0)
            {
                Console.Error.WriteLine($"Nothing answered on {parse.GetValue(host)}:{parse.GetValue(port)} unit {parse.GetValue(unit)}: check the address, that Modbus TCP " +
                    "is enabled on the dongle (port 502), and the unit id (try --unit 127).");
                return ExitCodes.Failure;
            }
            return ExitCodes.Ok;
        });

        return new Command("goodwe", "Read, limit or probe a GoodWe inverter over Modbus TCP, without a config file.") { read, limit, probe };
    }

    private static Task<int> Refuse(string problem)
    {
        Console.Error.WriteLine(problem);
        return Task.FromResult(ExitCodes.ConfigInvalid);
    }

    private static async Task<int> WithInverterAsync(ParseResult parse, Option<string[]> pluginDirs, Option<string> host, Option<int> port, Option<int> unit,
        Option<string> model, Option<double> rated, string? mode, Func<IInverter, Task<int>> action)
    {
        try
        {
            return await Bootstrap.WithOneDeviceAsync("goodwe", string.Create(CultureInfo.InvariantCulture, $"""
                Driver = goodwe
                Host = {parse.GetValue(host)}
                Port = {parse.GetValue(port)}
                UnitId = {parse.GetValue(unit)}
                Model = {parse.GetValue(model)}
                RatedPowerW = {parse.GetValue(rated)}
                LimitMode = {mode ?? "ActivePct"}
                """), parse.GetValue(pluginDirs) ?? [], device => action((IInverter)device));
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or ArgumentOutOfRangeException or ModbusException)
        {
            Console.Error.WriteLine($"goodwe {parse.GetValue(host)}:{parse.GetValue(port)} unit {parse.GetValue(unit)}: {ex.Message}");
            Console.Error.WriteLine("Check the address, that Modbus TCP is enabled on the dongle, and the unit id (try --unit 127); `energyhub goodwe probe` shows which registers answer.");
            return ExitCodes.Failure;
        }
    }
}
