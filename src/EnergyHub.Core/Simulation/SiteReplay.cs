using EnergyHub.Protocols;
using EnergyHub.Time;
using System.Diagnostics;
using System.Globalization;
using EnergyHub.Commands;
using EnergyHub.Core.Commands;
using EnergyHub.Core.Config;
using EnergyHub.Core.Devices;
using EnergyHub.Core.Scheduling;
using EnergyHub.Devices;
using EnergyHub.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Simulation;

/// <summary>
/// Runs a configuration's devices and services on a virtual clock as fast as the machine allows: the same
/// pollers, <see cref="SiteState"/>, <see cref="CommandGate"/> and <see cref="ServiceRunner"/>s as a live site, driven
/// in line, step by step, each at its own interval. For simulated sites (and any device that needs no real time).
/// </summary>
public sealed class SiteReplay
{
    private readonly SiteConfig config;
    private readonly ILoggerFactory loggers;

    /// <summary>
    /// Prepares a replay of <paramref name="config"/>. Throws <see cref="ConfigException"/>, naming each device and its
    /// driver, when any device is not <see cref="SimulatedAttribute">simulated</see>: a replay runs the services as fast
    /// as the machine allows and must never command real hardware.
    /// </summary>
    public SiteReplay(SiteConfig config, ILoggerFactory loggers)
    {
        RefuseRealDevices(config);
        this.config = config;
        this.loggers = loggers;
    }

    /// <summary>Throws <see cref="ConfigException"/> with one line per device whose driver touches the outside world.</summary>
    public static void RefuseRealDevices(SiteConfig config)
    {
        var errors = config.Devices.Where(d => d.Driver.TouchesOutsideWorld)
            .Select(d => config.Document.Error($"Device:{d.Id}", "Driver",
                $"driver '{d.Driver.Name}' talks to real hardware or a real API, and a replay never does (nothing was opened)",
                "drivers marked [Simulated] only, such as the sim-* drivers of the simulator plugin; use `energyhub run` for real devices"))
            .ToList();
        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }
    }

    /// <summary>Runs from <paramref name="from"/> to <paramref name="to"/> in steps of <paramref name="step"/>.</summary>
    /// <param name="name">A label for the result (the config file).</param>
    /// <param name="from">Start of the virtual clock.</param>
    /// <param name="to">End.</param>
    /// <param name="step">Simulation step; KPIs are integrated over it.</param>
    /// <param name="feedInThresholdPerKwh">Export during intervals whose feed-in price is below this is counted separately.</param>
    /// <param name="timeline">Receives one CSV line per step when given.</param>
    /// <param name="bestTimeline">Receives the best possible schedule, one CSV line per oracle bucket, when given.</param>
    /// <param name="progress">Receives the fraction done, now and then.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public async Task<SimulationResult> RunAsync(string name, DateTimeOffset from, DateTimeOffset to, TimeSpan step, double feedInThresholdPerKwh,
        TextWriter? timeline, TextWriter? bestTimeline, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var manual = new ManualTimeProvider(from);
        var time = Time.ZonedTimeProvider.For(config.Common, manual);
        await using var provider = new ServiceCollection().BuildServiceProvider();
        using var devices = DeviceRegistry.Create(config, provider, loggers, time, callsInline: true);
        if (CommandOwners.MissingAbilities(config, devices) is { Count: > 0 } missing)
        {
            throw new ConfigException(missing);
        }
        var site = new SiteState(devices, time, config.Common.GridMeter);
        var audit = new CommandAuditLog(loggers.CreateLogger<CommandAuditLog>());
        var commandsSent = 0;
        audit.Recorded += entry => commandsSent += entry.Result.Status == CommandStatus.Sent ? 1 : 0;
        var gate = new CommandGate(devices, time, audit, new CommandOwners(config.Services));
        var board = new ServiceStatusBoard();

        var pollers = devices.Sessions.Select(s => (Poller: new DevicePoller(s, site, time, loggers.CreateLogger($"EnergyHub.Device.{s.Id}")), s.Options.PollInterval)).ToList();
        var all = config.Services.Select(s => new ServiceRunner(s,
            new ServiceContext(s.Name, loggers.CreateLogger($"EnergyHub.Service.{s.Name}"), time, provider) { Shared = devices.Shared }, site, gate, board)
            { TicksInline = true }).ToList();
        var runners = all.Where(r => !r.Options.SiteCycle).Select(r => (Runner: r, r.Options.Interval)).ToList();
        var cycle = all.Any(r => r.Options.SiteCycle) ? new SiteCycle(all.Where(r => r.Options.SiteCycle), site, config.Common.SiteCycleInterval, time) : null;
        var nextCycle = from;
        var nextPoll = pollers.Select(_ => from).ToArray();
        var nextTick = runners.Select(_ => from).ToArray();
        var meter = new KpiMeter(devices.Sessions.Select(s => (s.Id, s.Device)).ToList(), feedInThresholdPerKwh, OracleBucketLength(to - from, step));
        audit.Recorded += entry =>
        {
            if (entry.Result.Status == CommandStatus.Sent && entry.Request.Command is "ActivePowerLimitPct" or "ExportLimitW")
            {
                meter.LimitWritten();
            }
        };
        timeline?.WriteLine(KpiStep.CsvHeader);

        var watch = Stopwatch.StartNew();
        var total = (to - from).Ticks;
        var reportEvery = Math.Max(1, total / step.Ticks / 200);
        long steps = 0;
        for (var now = from; now < to; now += step)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < pollers.Count; i++)
            {
                if (now >= nextPoll[i])
                {
                    var failures = await pollers[i].Poller.PollOnceAsync(cancellationToken).ConfigureAwait(false);
                    nextPoll[i] = now + (failures == 0 ? pollers[i].PollInterval : Backoff.Delay(pollers[i].PollInterval, failures, DevicePoller.MaxBackoff));
                }
            }
            for (var i = 0; i < runners.Count; i++)
            {
                if (now >= nextTick[i])
                {
                    var ok = await runners[i].Runner.TickAsync(cancellationToken).ConfigureAwait(false);
                    nextTick[i] = ok ? now + runners[i].Interval : runners[i].Runner.RestartAt ?? now;
                }
            }
            if (cycle is not null && now >= nextCycle)
            {
                await cycle.RunOnceAsync(cancellationToken).ConfigureAwait(false);
                nextCycle = now + config.Common.SiteCycleInterval;
            }
            var kpiStep = meter.Add(site.Snapshot(), step);
            timeline?.WriteLine(kpiStep.ToCsv(now));
            manual.Advance(step);
            if (++steps % reportEvery == 0)
            {
                progress?.Report((double)(now - from).Ticks / total);
            }
        }
        foreach (var runner in all.OrderBy(r => r.StandsInForHardware))
        {
            await runner.RestoreSafeStateAsync(cancellationToken).ConfigureAwait(false);
        }
        watch.Stop();
        progress?.Report(1);

        var battery0 = devices.Sessions.Select(s => s.Device).OfType<IBattery>().FirstOrDefault();
        var oracleBattery = battery0 is { CapacityWh: > 0 }
            ? new OracleBattery(battery0.CapacityWh!.Value, battery0.MaxChargeW ?? battery0.CapacityWh.Value * 10, battery0.MaxDischargeW ?? battery0.CapacityWh.Value * 10,
                battery0.RoundTripEfficiencyPct ?? 100, battery0.SocLimitsPct?.MinPct ?? 0, battery0.SocLimitsPct?.MaxPct ?? 100,
                meter.FirstSocPct ?? 50, meter.LastSocPct ?? meter.FirstSocPct ?? 50)
            : null;
        var best = bestTimeline is null ? null : new List<OracleStep>(meter.Buckets.Count);
        var oracle = Oracle.MinimumNetCost(meter.Buckets, oracleBattery, meter.Consumers, out var problem, time.LocalTimeZone, best);
        if (bestTimeline is not null && best is not null)
        {
            await bestTimeline.WriteLineAsync(OracleStep.CsvHeader).ConfigureAwait(false);
            foreach (var bucket in best)
            {
                await bestTimeline.WriteLineAsync(bucket.ToCsv()).ConfigureAwait(false);
            }
        }
        if (problem is not null)
        {
            loggers.CreateLogger<SiteReplay>().LogWarning("No best possible net cost for {Name}: {Problem}", name, problem);
        }
        return new SimulationResult(name, meter.Result(commandsSent, battery0?.CapacityWh), oracle, Oracle.NoControlNetCost(meter.Buckets),
            oracleBattery?.StartSocPct, oracleBattery?.EndSocPct, steps, watch.Elapsed);
    }

    /// <summary>
    /// The oracle's bucket: a minute (at least the step) for runs up to two weeks, a quarter hour beyond, which keeps a
    /// year's programme small. Prices change on these boundaries, so a bucket never mixes two prices.
    /// </summary>
    public static TimeSpan OracleBucketLength(TimeSpan run, TimeSpan step) =>
        run <= TimeSpan.FromDays(14) ? (step > TimeSpan.FromMinutes(1) ? step : TimeSpan.FromMinutes(1)) : TimeSpan.FromMinutes(15);
}
