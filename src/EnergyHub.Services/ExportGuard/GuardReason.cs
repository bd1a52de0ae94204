namespace EnergyHub.Services.ExportGuard;

/// <summary>Why the guard limits, or does not, at a tick.</summary>
public enum GuardReason
{
    /// <summary>Exporting pays: the inverter produces all it can.</summary>
    ExportAllowed,
    /// <summary>Exporting costs money: production is held to what the house and the battery take.</summary>
    Limiting,
    /// <summary>No fresh price: limited as if exporting cost money.</summary>
    PricesStale,
    /// <summary>No fresh grid or inverter reading: the fail-safe, export limited to nothing.</summary>
    TelemetryStale,
    /// <summary>Its owner paused it: the limit lifted.</summary>
    Paused,
}

/// <summary>The words of a <see cref="GuardReason"/>.</summary>
public static class GuardReasons
{
    /// <summary>Its name in the journal, the decisions and the commands' reasons: <c>export_allowed</c>, <c>limiting</c>, ...</summary>
    public static string Name(this GuardReason reason) => reason switch
    {
        GuardReason.ExportAllowed => "export_allowed",
        GuardReason.Limiting => "limiting",
        GuardReason.PricesStale => "prices_stale",
        GuardReason.TelemetryStale => "telemetry_stale",
        GuardReason.Paused => "paused",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>It as a sentence for people.</summary>
    public static string Sentence(this GuardReason reason) => reason switch
    {
        GuardReason.ExportAllowed => "exporting pays: the inverter produces all it can",
        GuardReason.Limiting => "exporting costs money: production is held to what the house and the battery take",
        GuardReason.PricesStale => "no fresh price: export is limited as if it cost money",
        GuardReason.TelemetryStale => "no fresh grid or inverter reading: export is limited to nothing until they are back",
        GuardReason.Paused => "paused by its owner: the limit is lifted",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>Whether the inverter's limit is lifted for it.</summary>
    public static bool Lifts(this GuardReason reason) => reason is GuardReason.ExportAllowed or GuardReason.Paused;
}
