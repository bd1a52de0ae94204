using EnergyHub.Cli;
using EnergyHub.Core.Config;
using EnergyHub.Core.Simulation;
using EnergyHub.TestSupport;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Tests;

/// <summary>
/// What <c>energyhub simulate --compare … --json</c> computes, in this process: the verb's loader (built-in services,
/// the plugins beside energyhub.dll, any <c>--plugin-dir</c>) and <see cref="SiteReplay"/>, without a process and its
/// start-up per replay. The verb's own surface (its table, arguments, --compare and --csv files) is tested through the
/// process in <see cref="SimulateCommandTests"/>.
/// </summary>
public static class Replays
{
    /// <summary>The results in the order of <paramref name="configs"/>, and every warning or error the runs logged.</summary>
    public sealed record Outcome(IReadOnlyList<SimulationResult> Results, IReadOnlyList<string> Warnings);

    /// <summary>Replays each config from <paramref name="from"/> (the verb's default day) to <paramref name="to"/> (a day later) in 10 s steps.</summary>
    public static async Task<Outcome> Run(IEnumerable<string> configs, DateTimeOffset? from = null, DateTimeOffset? to = null, string? pluginDir = null)
    {
        var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Warning));
        var loader = Bootstrap.Loader(loggers, pluginDir is null ? [] : [pluginDir]);
        var start = from ?? SimulateCommand.DefaultFrom;
        var results = new List<SimulationResult>();
        foreach (var config in configs)
        {
            try
            {
                var replay = new SiteReplay(loader.Load(config).Config, loggers);
                results.Add(await replay.RunAsync(Path.GetFileName(config), start, to ?? start.AddDays(1), TimeSpan.FromSeconds(10), 0, null, null, null,
                    CancellationToken.None));
            }
            catch (ConfigException ex)
            {
                Assert.Fail($"{config}: {ex.Message}");
            }
        }
        return new Outcome(results, [.. logs.Since(0).Select(l => $"{l.Level} {l.Category}: {l.Text}")]);
    }

    /// <summary>The energy <paramref name="device"/> took in a run.</summary>
    public static ConsumerEnergy Consumer(this SimulationResult result, string device) => result.Kpis.Consumers.Single(c => c.Device == device);
}
