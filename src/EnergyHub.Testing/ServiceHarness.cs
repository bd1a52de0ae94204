using System.Text;
using EnergyHub.Commands;
using EnergyHub.Services;
using EnergyHub.Site;
using EnergyHub.Time;

namespace EnergyHub.Testing;

/// <summary>What one tick of a service did.</summary>
/// <param name="Commands">The commands it sent, in order.</param>
/// <param name="Decisions">The decisions it recorded, in order.</param>
public sealed record CycleResult(IReadOnlyList<DeviceCommand> Commands, IReadOnlyList<RecordedDecision> Decisions);

/// <summary>
/// Runs a service the way the host does, one tick at a time on a <see cref="ManualTimeProvider"/>, against snapshots
/// from a <see cref="SiteBuilder"/>, and checks a table of <see cref="Cycle"/>s: each row's commands and decision. Build
/// the service with <see cref="Clock"/> as its time so that its own timers and rate limits follow the table.
/// </summary>
/// <param name="start">The instant of the table's time 0.</param>
public sealed class ServiceHarness(DateTimeOffset start)
{
    /// <summary>The clock the table moves; hand it to the service.</summary>
    public ManualTimeProvider Clock { get; } = new(start);

    /// <summary>Every command sent so far, and the answers the service gets.</summary>
    public RecordingCommandGate Commands { get; } = new();

    /// <summary>Every decision recorded so far.</summary>
    public RecordingDecisionLog Decisions { get; } = new();

    /// <summary>The site's board for plans made together; share one between harnesses to run services side by side.</summary>
    public SitePlans Plans { get; init; } = new();

    /// <summary>The table's time 0.</summary>
    public DateTimeOffset Start => start;

    /// <summary>Moves the clock to <paramref name="at"/> after the start and ticks <paramref name="service"/> once on the site <paramref name="site"/> builds.</summary>
    public Task<CycleResult> TickAsync(IService service, TimeSpan at, Func<SiteBuilder, SiteBuilder> site) =>
        CallAsync(at, site, tick => service.ExecuteAsync(tick, CancellationToken.None));

    /// <summary>Moves the clock to <paramref name="at"/> and stops <paramref name="service"/> (its safe state) on the site <paramref name="site"/> builds.</summary>
    public Task<CycleResult> StopAsync(IService service, TimeSpan at, Func<SiteBuilder, SiteBuilder> site) =>
        CallAsync(at, site, tick => service.StopAsync(tick, CancellationToken.None));

    /// <summary>
    /// Runs every row of <paramref name="table"/> in order and checks it; throws <see cref="CycleMismatchException"/>
    /// naming every row that did not do what it expected, with what it did instead.
    /// </summary>
    public async Task RunAsync(IService service, IEnumerable<Cycle> table)
    {
        var problems = new StringBuilder();
        var row = 0;
        foreach (var cycle in table)
        {
            row++;
            var result = await TickAsync(service, cycle.Offset, cycle.Site).ConfigureAwait(false);
            var did = $"sent [{string.Join("; ", result.Commands.Select(Describe))}], decided [{string.Join("; ", result.Decisions.Select(d => d.Decision))}]";
            if (cycle.Commands is { } expected
                && (expected.Count != result.Commands.Count || expected.Zip(result.Commands).Any(p => !p.First.Matches(p.Second))))
            {
                problems.AppendLine($"row {row} (t = {cycle.Offset.TotalSeconds:0.###} s): expected to send [{string.Join("; ", expected)}] but {did}");
            }
            if (cycle.Decision is { } decision && result.Decisions.All(d => d.Decision != decision))
            {
                problems.AppendLine($"row {row} (t = {cycle.Offset.TotalSeconds:0.###} s): expected the decision '{decision}' but {did}");
            }
        }
        if (problems.Length > 0)
        {
            throw new CycleMismatchException(problems.ToString().TrimEnd());
        }
    }

    /// <summary>A command as a row would name it: kind, value, device, and whether it is a safety command.</summary>
    public static string Describe(DeviceCommand command) =>
        $"{command.Kind} {command.Value} to '{command.DeviceId}'{(command.IsSafety ? " (safety)" : "")}";

    private async Task<CycleResult> CallAsync(TimeSpan at, Func<SiteBuilder, SiteBuilder> site, Func<ServiceTick, Task> call)
    {
        var target = start + at;
        var now = Clock.GetUtcNow();
        if (target < now)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, $"rows must move forward in time; the clock is already at {(now - start).TotalSeconds} s");
        }
        Clock.Advance(target - now);
        var (sentBefore, decidedBefore) = (Commands.Sent.Count, Decisions.Decisions.Count);
        var snapshot = site(new SiteBuilder(target)).Build();
        await call(new ServiceTick(target, snapshot, Commands) { Decisions = Decisions, Plans = Plans }).ConfigureAwait(false);
        return new CycleResult(Commands.Sent.Skip(sentBefore).ToList(), Decisions.Decisions.Skip(decidedBefore).ToList());
    }
}

/// <summary>A table of <see cref="Cycle"/>s did not run as expected; the message names each row that differed.</summary>
/// <param name="message">Every mismatch, one per line.</param>
public sealed class CycleMismatchException(string message) : Exception(message);
