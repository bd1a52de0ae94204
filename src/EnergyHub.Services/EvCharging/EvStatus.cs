using EnergyHub.Readings;

namespace EnergyHub.Services.EvCharging;

/// <summary>What the EvCharging service shows (<c>GET /api/ev</c>).</summary>
/// <param name="Charger">The charger's device id.</param>
/// <param name="Mode">The mode shown (Manual shows Off or Max by the charger's state).</param>
/// <param name="DesiredMode">The mode asked for.</param>
/// <param name="PhaseMode">The phase mode.</param>
/// <param name="ChargePriority">Who gets the surplus first.</param>
/// <param name="Car">The car's state.</param>
/// <param name="CurrentA">The current offered, A (0 = not charging).</param>
/// <param name="Phases">The phases in use.</param>
/// <param name="PowerW">What it delivers, W.</param>
/// <param name="SessionEnergyWh">Energy of this session, Wh, where the charger counts it.</param>
/// <param name="Why">Why it is or is not charging.</param>
public sealed record EvStatus(string Charger, EvMode Mode, EvMode DesiredMode, EvPhaseMode PhaseMode, EvPriority ChargePriority, EvCarState Car,
    double CurrentA, int Phases, double PowerW, double? SessionEnergyWh, string Why);
