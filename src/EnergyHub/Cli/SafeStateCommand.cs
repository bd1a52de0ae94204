using System.CommandLine;
using EnergyHub.Core.Commands;
using EnergyHub.Core.Config;
using EnergyHub.Core.Devices;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Cli;

/// <summary>
/// <c>energyhub safe-state</c>: puts every device of a config into its safe state without starting any service. The
/// systemd unit runs it as <c>ExecStopPost</c>, so a crashed or killed daemon does not leave an inverter curtailed.
/// </summary>
public static class SafeStateCommand
{
    public static Command Create(Option<string[]> pluginDirs)
    {
        var config = new Option<string?>("--config") { Description = "The config.ini whose devices to put into their safe states (default: $ENERGYHUB_CONFIG, then ./config.ini)." };
        var budget = new Option<string>("--timeout") { Description = "How long to keep retrying a device that does not confirm, e.g. 20s.", DefaultValueFactory = _ => "20s" };
        var command = new Command("safe-state", "Put every device into its safe state (inverter limit 100 %, chargers and relays off) without starting any service; " +
            "retries each until it is confirmed or the timeout ends. Exit code 1 when a device did not confirm.")
        {
            config, budget,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            if (!Durations.TryParse(parse.GetValue(budget)!, out var timeout) || timeout <= TimeSpan.Zero)
            {
                Console.Error.WriteLine($"--timeout: {Durations.Allowed}.");
                return Task.FromResult(ExitCodes.ConfigInvalid);
            }
            return Bootstrap.WithDevicesAsync(parse.GetValue(config), parse.GetValue(pluginDirs) ?? [], async (located, devices) =>
            {
                using var loggers = Bootstrap.ConsoleLoggers(LogLevel.Warning);
                var gate = new CommandGate(devices, TimeProvider.System, new CommandAuditLog(loggers.CreateLogger<CommandAuditLog>())).For("safe-state");
                Console.WriteLine($"Safe states for {located.Path} (up to {Durations.Format(timeout)} per device):");
                var outcomes = await SafeStateWriter.ApplyAllAsync(devices, gate, TimeProvider.System, timeout, outcome => Console.WriteLine(outcome switch
                {
                    { SafeState: null } => $"  {outcome.DeviceId} ({outcome.Driver}): nothing to do, it is only read",
                    { Confirmed: true } => $"  {outcome.DeviceId} ({outcome.Driver}): {outcome.SafeState}: confirmed",
                    _ => $"  {outcome.DeviceId} ({outcome.Driver}): {outcome.SafeState}: NOT confirmed after {outcome.Attempts} attempt(s): {outcome.Error}",
                }), cancellationToken);
                var failed = outcomes.Count(o => !o.Confirmed);
                if (failed > 0)
                {
                    Console.Error.WriteLine($"{failed} device(s) are not in their safe state: check them on site, or run this again once they answer.");
                    return ExitCodes.Failure;
                }
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
