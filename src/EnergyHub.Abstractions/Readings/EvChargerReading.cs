namespace EnergyHub.Readings;

/// <summary>Whether a car is plugged into an EV charger and what it is doing.</summary>
public enum EvCarState
{
    /// <summary>No car plugged in.</summary>
    Disconnected,
    /// <summary>A car is plugged in and not charging (waiting, paused, or full).</summary>
    Connected,
    /// <summary>The car is charging.</summary>
    Charging,
    /// <summary>The charger reports an error.</summary>
    Error,
}

/// <summary>An EV charger's state. <see cref="PowerW"/> is positive when charging.</summary>
/// <param name="Car">Whether a car is plugged in and charging.</param>
/// <param name="PowerW">Charging power now, W.</param>
/// <param name="CurrentA">The charging current per phase the charger is set to, A (0 = paused).</param>
/// <param name="Phases">The phases it charges on now: 1 or 3.</param>
public sealed record EvChargerReading(EvCarState Car, double PowerW, double CurrentA, int Phases)
{
    /// <summary>Energy charged in the current session (since the car was plugged in), Wh, when the charger counts it.</summary>
    public double? SessionEnergyWh { get; init; }
}
