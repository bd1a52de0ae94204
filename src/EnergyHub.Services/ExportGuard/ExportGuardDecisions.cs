namespace EnergyHub.Services.ExportGuard;

/// <summary>One tick of the guard: what it knew, what it wants in force and what it wrote.</summary>
/// <param name="Reason">export_allowed, limiting, paused, prices_stale or telemetry_stale (the decision's name).</param>
/// <param name="Why">The reason as a sentence.</param>
/// <param name="LimitBy">ExportLimit (the inverter's own grid export limit) or PowerLimit (its active power limit).</param>
/// <param name="ExportLimitW">The export limit wanted in force, W (ExportLimit).</param>
/// <param name="WriteExportW">The export limit written now, W, or null.</param>
/// <param name="Costly">Whether exporting would cost money (or prices are unknown).</param>
/// <param name="FeedInPerKwh">The feed-in price now.</param>
/// <param name="PriceAgeSeconds">The price reading's age.</param>
/// <param name="ThresholdPerKwh">Export below this feed-in price is limited.</param>
/// <param name="PausedUntil">Until when the guard is paused; null when it is not.</param>
/// <param name="SocPct">The battery's state of charge.</param>
/// <param name="BatteryW">The battery's power, W (+ charging).</param>
/// <param name="GridW">The grid's power, W (+ import).</param>
/// <param name="InverterW">The inverter's AC power, W.</param>
/// <param name="LoadW">The house load, W.</param>
/// <param name="RatedPowerW">The inverter's rated power, W.</param>
/// <param name="TelemetryAgeSeconds">The age of the grid and inverter readings; null when offline.</param>
/// <param name="TelemetryOffline">Whether a telemetry device is offline.</param>
/// <param name="LimitReadBackPct">The limit the inverter reports, %.</param>
/// <param name="ReadBackAfterWrite">Whether that read-back was taken after the last confirmed write.</param>
/// <param name="Reassert">Whether the limit is written again because the inverter holds another one.</param>
/// <param name="TargetW">The power the inverter should produce, W.</param>
/// <param name="TargetPct">The same, % of rated power.</param>
/// <param name="LimitPct">The smoothed limit wanted in force, %.</param>
/// <param name="IntegralW">The controller's integral, W.</param>
/// <param name="ProbeW">The charging room offered to the battery, W.</param>
/// <param name="BatteryFull">Whether the battery counts as full.</param>
/// <param name="WritePct">The limit written now, %, or null.</param>
/// <param name="WriteResult">The command's result, when one was sent.</param>
/// <param name="WriteDetail">Its detail.</param>
/// <param name="RawPrices">The price source's raw payload, when <c>RawPayloads</c> asks for it.</param>
/// <param name="RawBattery">The battery's raw payload, likewise.</param>
public sealed record ExportGuardDecision(string Reason, string Why, string LimitBy, double? ExportLimitW, double? WriteExportW, bool Costly, double? FeedInPerKwh,
    double? PriceAgeSeconds, double ThresholdPerKwh, DateTimeOffset? PausedUntil, double? SocPct, double? BatteryW, double? GridW, double? InverterW,
    double? LoadW, double? RatedPowerW, double? TelemetryAgeSeconds, bool TelemetryOffline, double? LimitReadBackPct, bool ReadBackAfterWrite, bool Reassert,
    double TargetW, double TargetPct, double LimitPct, double IntegralW, double ProbeW, bool BatteryFull, double? WritePct, string? WriteResult,
    string? WriteDetail, string? RawPrices, string? RawBattery) : Decision
{
    /// <inheritdoc />
    public override string Name => Reason;
}

/// <summary>The guard stopped: the limit lifted to 100 %.</summary>
/// <param name="WritePct">The limit written, %.</param>
/// <param name="WriteResult">The command's result.</param>
/// <param name="WriteDetail">Its detail.</param>
public sealed record ExportGuardStopped(double WritePct, string WriteResult, string? WriteDetail) : Decision
{
    /// <inheritdoc />
    public override string Name => "stopped";
}
