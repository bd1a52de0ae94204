namespace EnergyHub.Readings;

/// <summary>Whether a car is plugged into an EV charger and what it is doing.</summary>
public enum EvCarState
{
    /// <summary>No car plugged in.</summary>
    Disconnected,
    /// <summary>A car is plugged in and not charging (waiting or paused).</summary>
    Connected,
    /// <summary>The car is charging.</summary>
    Charging,
    /// <summary>The charger reports an error.</summary>
    Error,
    /// <summary>A car is plugged in and charged: it takes no more, however much it is offered.</summary>
    Complete,
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

    /// <summary>Energy the charger has ever delivered, Wh, when it counts it.</summary>
    public double? TotalEnergyWh { get; init; }

    /// <summary>Current on L1, L2 and L3, A, when the charger measures them.</summary>
    public double? L1CurrentA { get; init; }

    /// <inheritdoc cref="L1CurrentA"/>
    public double? L2CurrentA { get; init; }

    /// <inheritdoc cref="L1CurrentA"/>
    public double? L3CurrentA { get; init; }

    /// <summary>The charger's temperature, °C.</summary>
    public double? TemperatureC { get; init; }

    /// <summary>The charger's own car-state code, as it sent it (go-e <c>car</c>), for diagnosis.</summary>
    public int? StateCode { get; init; }

    /// <summary>Why it is or is not charging, in the charger's words (go-e <c>modelStatus</c>), when it says.</summary>
    public string? Reason { get; init; }

    /// <summary>The charger's error, named; null when there is none.</summary>
    public string? Error { get; init; }
}
