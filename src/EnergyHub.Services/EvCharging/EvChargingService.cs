using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Services.EvCharging;

/// <summary>
/// Runs wallboxes as pv-control did: [EvCharging]'s charger and one more per [EvCharging:NAME], each deciding every
/// <see cref="EvChargingOptions.CycleInterval"/> (<see cref="EvChargerRun"/>). The charged energy's split into PV and
/// grid is kept across restarts (in the journal's service state, every 5 minutes and on stop). Each charger's state is
/// offered retained as <c>EvCharging/{charger}/State</c> (pv-control's state topic) for the site's broker. On stop (and after a failure) every charger goes to its safe state.
/// </summary>
public sealed class EvChargingService(EvChargingOptions options, ILogger logger, IServiceStateStore? state = null, TimeProvider? time = null)
    : IService, IHasSettings, IHasStatus<EvChargingStatus>, IHasMetrics, IHasPublishedValues
{
    /// <summary>The name in <c>[Services]</c>.</summary>
    public const string ServiceName = "EvCharging";

    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly IReadOnlyList<EvChargerRun> _runs = [.. options.All().Select(c => new EvChargerRun(c.Key, c.Options, logger, time?.LocalTimeZone ?? TimeZoneInfo.Utc))];
    private readonly KeptState _kept = new(state, ServiceName, "energy", "The EV charged energy", TimeSpan.FromMinutes(5), logger);
    private readonly BatteryForEv _battery = new(options.HoldBatteryWhileCharging);

    /// <inheritdoc />
    /// <remarks><c>Mode</c>, <c>PhaseMode</c>, <c>ChargePriority</c>, <c>PlanEnergyKwh</c> and <c>PlanBy</c> per charger (<c>NAME.Mode</c> for
    /// [EvCharging:NAME]); kept across restarts like every setting.</remarks>
    public IReadOnlyList<ServiceSetting> Settings => field ??= [.. _runs.SelectMany(r => r.Settings)];

    /// <inheritdoc />
    public EvChargingStatus? Status => _runs.All(r => r.Status is null) ? null : new EvChargingStatus([.. _runs.Select(r => r.Status).OfType<EvStatus>()]);

    /// <inheritdoc />
    public string Name => ServiceName;

    /// <inheritdoc />
    public IReadOnlyList<PublishedValue> Published =>
        [.. _runs.Where(r => r.Status is not null).Select(r => new PublishedValue($"{ServiceName}/{r.Charger}/State", JsonSerializer.Serialize(r.Status, StateJson), Retain: true))];

    /// <inheritdoc />
    public IReadOnlyList<ServiceMetric> Metrics() => [.. _runs.SelectMany(r => r.Metrics())];

    /// <inheritdoc />
    public async Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        _kept.Tick(tick.Now, RestoreEnergy, SaveEnergy);
        foreach (var run in _runs)
        {
            await run.CycleAsync(tick, cancellationToken).ConfigureAwait(false);
        }
        await _battery.ApplyAsync(tick, [.. _runs.Select(r => r.Status).OfType<EvStatus>()], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task StopAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        _kept.Stop(tick.Now, SaveEnergy);
        var problems = new List<string>();
        foreach (var run in _runs)
        {
            if (await run.StopAsync(tick, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                problems.Add(problem);
            }
        }
        if (await _battery.StopAsync(tick, cancellationToken).ConfigureAwait(false) is { } batteryProblem)
        {
            problems.Add(batteryProblem);
        }
        if (problems.Count > 0)
        {
            throw new SafeStateNotConfirmedException(string.Join("; ", problems));
        }
    }

    private void RestoreEnergy(string json)
    {
        var kept = JsonSerializer.Deserialize<Dictionary<string, EvEnergy>>(json) ?? [];
        foreach (var run in _runs)
        {
            if (kept.TryGetValue(run.Charger, out var energy))
            {
                run.Restore(energy);
            }
        }
    }

    private string SaveEnergy() => JsonSerializer.Serialize(_runs.ToDictionary(r => r.Charger, r => r.Energy));
}
