using EnergyHub.Readings;
using System.CommandLine;
using System.Globalization;
using EnergyHub.Core;
using Spectre.Console;

namespace EnergyHub.Cli;

/// <summary><c>energyhub devices</c>: reads every configured device once and prints what it said, with units.</summary>
public static class DevicesCommand
{
    public static Command Create(Option<string[]> pluginDirs)
    {
        var config = new Option<string?>("--config") { Description = "The config.ini whose devices to read (default: $ENERGYHUB_CONFIG, ./config.ini, the demo site)." };
        var command = new Command("devices", "Read every configured device once and print a table of its values with units. Exit code 1 when a device could not be read.")
        {
            config,
        };
        command.SetAction((parse, cancellationToken) => Bootstrap.WithDevicesAsync(parse.GetValue(config), parse.GetValue(pluginDirs) ?? [], async (located, devices) =>
        {
            var table = new Table().AddColumns(new TableColumn("Device"), new TableColumn("Driver"), new TableColumn("Value"), new TableColumn("Reading").RightAligned(), new TableColumn("Unit"));
            var failures = 0;
            foreach (var session in devices.Sessions)
            {
                try
                {
                    var reading = await session.RunAsync((device, ct) => device.ReadAsync(ct).AsTask(), cancellationToken);
                    foreach (var value in ReadingSeries.Flatten(reading))
                    {
                        table.AddRow(Markup.Escape(session.Id), Markup.Escape(session.Driver), Markup.Escape(value.Name),
                            value.Value.ToString("0.###", CultureInfo.InvariantCulture), Markup.Escape(value.Unit));
                    }
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failures++;
                    table.AddRow(Markup.Escape(session.Id), Markup.Escape(session.Driver), "[red]read failed[/]", Markup.Escape(ex.Message), "");
                }
            }
            AnsiConsole.MarkupLineInterpolated($"Devices of {located.Path} ({located.Origin}):");
            AnsiConsole.Write(table);
            return failures == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        }));
        return command;
    }
}
