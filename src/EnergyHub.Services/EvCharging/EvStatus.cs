using EnergyHub.Readings;

namespace EnergyHub.Services.EvCharging;

/// <summary>What the EvCharging service shows (<c>GET /api/ev</c>): every charger it runs.</summary>
/// <param name="Chargers">[EvCharging]'s charger first, then each [EvCharging:NAME]'s.</param>
public sealed record EvChargingStatus(IReadOnlyList<EvStatus> Chargers);

/// <summary>One charger as the EvCharging service runs it.</summary>
/// <param name="Key">The NAME of its <c>[EvCharging:NAME]</c> section; empty for <c>[EvCharging]</c>'s own.</param>
/// <param name="Charger">The charger's device id.</param>
/// <param name="Mode">The mode shown (Manual shows Off or Max by the charger's state).</param>
/// <param name="DesiredMode">The mode the owner chose (Max stays Max after it was applied and the charger left alone).</param>
/// <param name="PhaseMode">The phase mode.</param>
/// <param name="ChargePriority">Who gets the surplus first.</param>
/// <param name="Car">The car's state.</param>
/// <param name="CurrentA">The current offered, A (0 = not charging).</param>
/// <param name="Phases">The phases in use.</param>
/// <param name="PowerW">What it delivers, W.</param>
/// <param name="SessionEnergyWh">Energy of this session, Wh, where the charger counts it.</param>
/// <param name="Energy">Charged energy split into not-from-the-grid (PV) and grid, this session and ever.</param>
/// <param name="Why">Why it is or is not charging.</param>
/// <param name="Error">The charger's error, named; null when there is none.</param>
public sealed record EvStatus(string Key, string Charger, EvMode Mode, EvMode DesiredMode, EvPhaseMode PhaseMode, EvPriority ChargePriority, EvCarState Car,
    double CurrentA, int Phases, double PowerW, double? SessionEnergyWh, EvEnergy Energy, string Why, string? Error)
{
    /// <summary>The charge plan; null without one.</summary>
    public EvPlanStatus? Plan { get; init; }

    /// <summary>
    /// True when the charger has no fresh reading: the other values are as it was last seen, not as it is, and
    /// <see cref="Why"/> says what cannot be done and what the owner can do.
    /// </summary>
    public bool Stale { get; init; }

    /// <summary>Seconds since the charger's last reading while <see cref="Stale"/>; null otherwise.</summary>
    public double? ReadingAgeS { get; init; }
}

/// <summary>A charge plan ("20 kWh by 07:00") as it stands.</summary>
/// <param name="EnergyKwh">The energy asked for.</param>
/// <param name="By">The deadline.</param>
/// <param name="ChargedKwh">Charged since the plan was set.</param>
/// <param name="ChargingNow">Whether the plan has the car charge now, whatever the surplus (at <see cref="EvPlanStatus.PowerW"/>).</param>
/// <param name="Slots">The stretches it charges in, from now to the deadline.</param>
/// <param name="Why">In words.</param>
public sealed record EvPlanStatus(double EnergyKwh, DateTimeOffset By, double ChargedKwh, bool ChargingNow, IReadOnlyList<EvPlanSlot> Slots, string Why)
{
    /// <summary>The service that planned it together with the battery; null for the charger's own plan on prices alone.</summary>
    public string? PlannedBy { get; init; }

    /// <summary>The power it charges at now, W; null for full power.</summary>
    public double? PowerW { get; init; }
}
