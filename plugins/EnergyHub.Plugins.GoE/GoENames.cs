namespace EnergyHub.Plugins.GoE;

/// <summary>The names of go-e's error codes (<c>err</c>) and charging reasons (<c>modelStatus</c>), from go-e's API docs.</summary>
public static class GoENames
{
    private static readonly string[] V2Errors =
    [
        "None", "FiAc", "FiDc", "Phase", "Overvolt", "Overamp", "Diode", "PpInvalid", "GndInvalid", "ContactorStuck",
        "ContactorMiss", "FiUnknown", "Unknown", "Overtemp", "NoComm", "StatusLockStuckOpen", "StatusLockStuckLocked",
    ];

    private static readonly Dictionary<int, string> V1Errors = new() { [0] = "None", [1] = "RCCB", [3] = "Phase", [8] = "NoGround", [10] = "Other" };

    private static readonly Dictionary<int, string> ModelStatuses = new()
    {
        [0] = "NotChargingBecauseNoChargeCtrlData", [1] = "NotChargingBecauseOvertemperature", [2] = "NotChargingBecauseAccessControlWait",
        [3] = "ChargingBecauseForceStateOn", [4] = "NotChargingBecauseForceStateOff", [5] = "NotChargingBecauseScheduler",
        [6] = "NotChargingBecauseEnergyLimit", [7] = "ChargingBecauseAwattarPriceLow", [8] = "ChargingBecauseAutomaticStopTestLadung",
        [9] = "ChargingBecauseAutomaticStopNotEnoughTime", [10] = "ChargingBecauseAutomaticStop", [11] = "ChargingBecauseAutomaticStopNoClock",
        [12] = "ChargingBecausePvSurplus", [13] = "ChargingBecauseFallbackGoEDefault", [14] = "ChargingBecauseFallbackGoEScheduler",
        [15] = "ChargingBecauseFallbackDefault", [16] = "NotChargingBecauseFallbackGoEAwattar", [17] = "NotChargingBecauseFallbackAwattar",
        [18] = "NotChargingBecauseFallbackAutomaticStop", [19] = "ChargingBecauseCarCompatibilityKeepAlive",
        [20] = "ChargingBecauseChargePauseNotAllowed", [22] = "NotChargingBecauseSimulateUnplugging", [23] = "NotChargingBecausePhaseSwitch",
        [24] = "NotChargingBecauseMinPauseDuration", [26] = "NotChargingBecauseError", [27] = "NotChargingBecauseLoadManagementDoesntWant",
        [28] = "NotChargingBecauseOcppDoesntWant", [29] = "NotChargingBecauseReconnectDelay", [30] = "NotChargingBecauseAdapterBlocking",
        [31] = "NotChargingBecauseUnderfrequencyControl", [32] = "NotChargingBecauseUnbalancedLoad", [33] = "ChargingBecauseDischargingPvBattery",
        [34] = "NotChargingBecauseGridMonitoring", [35] = "NotChargingBecauseOcppFallback",
    };

    /// <summary>The name of error <paramref name="code"/> in <paramref name="api"/>'s numbering; "Error N" when unknown.</summary>
    public static string Error(int code, GoEApi api) =>
        api == GoEApi.V1 ? V1Errors.GetValueOrDefault(code, $"Error {code}")
        : code >= 0 && code < V2Errors.Length ? V2Errors[code] : $"Error {code}";

    /// <summary>Why the charger is or is not charging, by <c>modelStatus</c>; "ModelStatus N" when unknown.</summary>
    public static string ModelStatus(int code) => ModelStatuses.GetValueOrDefault(code, $"ModelStatus {code}");
}
