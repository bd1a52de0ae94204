namespace EnergyHub.Services.EvCharging;

/// <summary>How a charger is run (pv-control's modes).</summary>
public enum EvMode
{
    /// <summary>Stop charging once, then leave the charger alone (Manual).</summary>
    Off,
    /// <summary>Charge from surplus only: on above one minimum current's worth plus the hysteresis, off below the minimum.</summary>
    PvOnly,
    /// <summary>Charge from surplus topped up from the grid to the minimum current: on above PvAllMinPowerW.</summary>
    PvAll,
    /// <summary>Charge at the most current once, then leave the charger alone (Manual).</summary>
    Max,
    /// <summary>Leave the charger alone.</summary>
    Manual,
}

/// <summary>How many phases a charger charges on.</summary>
public enum EvPhaseMode
{
    /// <summary>One or three, by the power available (in the PV modes; three in Max).</summary>
    Auto,
    /// <summary>Always one.</summary>
    OnePhase,
    /// <summary>Always three.</summary>
    ThreePhase,
}

/// <summary>Who gets the surplus first, the car or the home battery.</summary>
public enum EvPriority
{
    /// <summary>The home battery below PrioritySocThreshold, the car above (with a hysteresis).</summary>
    Auto,
    /// <summary>The home battery: its charging is not taken for the car.</summary>
    HomeBattery,
    /// <summary>The car: what the home battery charges with is taken for the car.</summary>
    Car,
}

/// <summary>The modes and priorities in the words a decision says them in.</summary>
public static class EvWords
{
    /// <summary>A mode in words, as the page's buttons name it, e.g. "PV only".</summary>
    public static string Of(EvMode mode) => mode switch
    {
        EvMode.PvOnly => "PV only",
        EvMode.PvAll => "PV + grid",
        _ => mode.ToString(),
    };

    /// <summary>Who is served first, in words, e.g. "the car first".</summary>
    public static string Of(EvPriority priority) => priority == EvPriority.Car ? "the car first" : "the home battery first";
}

/// <summary>When a charging session's counts start again (<see cref="EvChargingOptions.SessionResetOn"/>).</summary>
public enum EvSessionReset
{
    /// <summary>When a car is plugged in.</summary>
    Connect,
    /// <summary>When the car is unplugged.</summary>
    Disconnect,
}
