using EnergyHub.Site;

namespace EnergyHub.Services.BatteryScheduler;

/// <summary>The steps from <c>[BatteryScheduler]</c> and what the site shows to a plan, shared by the service and <c>energyhub plan</c>.</summary>
public static class BatteryPlanning
{
    /// <summary>Days of PV and load history the forecast uses.</summary>
    public const int HistoryDays = 15;

    /// <summary>The battery as planned: the options where set, else what the battery reports, else 10 kWh and 3 kW.</summary>
    public static BatterySpec Spec(BatterySchedulerOptions options, BatteryFacts? facts) => new(
        options.CapacityKwh > 0 ? options.CapacityKwh : (facts?.CapacityWh ?? 10_000) / 1000,
        options.MaxChargeKw > 0 ? options.MaxChargeKw : (facts?.MaxChargeW ?? 3000) / 1000,
        options.MaxDischargeKw > 0 ? options.MaxDischargeKw : (facts?.MaxDischargeW ?? 3000) / 1000,
        options.RoundTripEfficiencyPct, Math.Max(options.ReserveSocPct, facts?.MinSocPct ?? 0), Math.Min(options.MaxSocPct, facts?.MaxSocPct ?? 100),
        options.CycleCostPerKwh, facts?.Modes?.Contains(Devices.BatteryMode.Discharge) ?? true);

    /// <summary>The next occurrence of <c>TargetSocAt</c> in <paramref name="zone"/> after <paramref name="now"/>; null without one.</summary>
    public static SocTarget? Target(BatterySchedulerOptions options, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (options.Target is not { } target)
        {
            return null;
        }
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var at = local.Date + target.At.ToTimeSpan();
        if (at <= local.DateTime)
        {
            at = at.AddDays(1);
        }
        return new SocTarget(new DateTimeOffset(at, zone.GetUtcOffset(at)), target.SocPct);
    }

    /// <summary>
    /// The clear-sky curve of the site's PV: at <see cref="BatterySchedulerOptions.Latitude"/>/<see cref="BatterySchedulerOptions.Longitude"/>,
    /// else at <paramref name="zone"/>'s city; of <see cref="BatterySchedulerOptions.PvKwp"/>, else of the inverter's rated
    /// power. Null without a place or a size.
    /// </summary>
    public static ClearSky? ClearSkyOf(BatterySchedulerOptions options, TimeZoneInfo zone, double? inverterRatedW)
    {
        var place = options is { Latitude: { } lat, Longitude: { } lon } ? (lat, lon) : ZoneLocation.Of(zone.Id);
        var kwp = options.PvKwp > 0 ? options.PvKwp : inverterRatedW / 1000;
        return place is { } at && kwp is > 0 ? new ClearSky(at.Item1, at.Item2, kwp.Value) : null;
    }

    /// <summary>
    /// The optimal plan over <paramref name="prices"/> (equal slots, <see cref="PriceSlots"/>) on the forecast from
    /// <paramref name="history"/>, with the forecast it stood on and the <paramref name="demands"/> standing at
    /// <paramref name="now"/> planned together with the battery (<see cref="SitePlanner"/>). A quarter the history never saw
    /// counts the house's load now and PV as <paramref name="clearSky"/> shows it then (the PV now without one). Slot times
    /// are given in <paramref name="zone"/> (the site's), so the plan and its reasons speak local time; a day with a clock
    /// change simply has 92 or 100 quarter-hours.
    /// </summary>
    public static PlanResult Plan(BatterySchedulerOptions options, BatterySpec spec, IReadOnlyList<PlanSlot> prices, SiteHistory history, double socPct, double pvW,
        double loadW, SocTarget? target, TimeZoneInfo zone, ClearSky? clearSky = null, IReadOnlyList<EnergyDemand>? demands = null, DateTimeOffset now = default)
    {
        prices = [.. prices.Select(s => s with { Start = TimeZoneInfo.ConvertTime(s.Start, zone) })];
        var perDay = (int)Math.Round(TimeSpan.FromDays(1) / prices[0].Length);
        var past = history.Past(prices[0].Start, prices[0].Length, HistoryDays * perDay, clearSky is null ? _ => pvW : clearSky.PvW, loadW);
        var forecast = ProfileForecast.Fill(past, prices);
        var limits = new PlannerLimits(options.GridImportCapKw > 0 ? options.GridImportCapKw : null, target);
        var site = SitePlanner.Plan(forecast, socPct, spec, limits, TerminalValue(forecast), demands ?? [], now);
        return new PlanResult(site.Battery, forecast, site.Demands);
    }

    /// <summary>
    /// The optimal plan on <paramref name="forecast"/>. What is left at the end is worth the horizon's cheapest import:
    /// never more than refilling costs (of the values tried on the 2025 replay, the mean and 0 cost more).
    /// </summary>
    public static BatteryPlan PlanOn(IReadOnlyList<PlanSlot> forecast, double socPct, BatterySpec spec, PlannerLimits limits) =>
        BatteryPlanner.Plan(forecast, socPct, spec, limits, TerminalValue(forecast));

    private static double TerminalValue(IReadOnlyList<PlanSlot> forecast) => forecast.Min(s => s.ImportPerKwh);
}

/// <summary>A plan with the forecast it stood on.</summary>
/// <param name="Plan">The battery's plan.</param>
/// <param name="Forecast">The slots with their PV and house load forecast.</param>
/// <param name="Demands">Where the demands planned with it go (none without demands).</param>
public sealed record PlanResult(BatteryPlan Plan, IReadOnlyList<PlanSlot> Forecast, IReadOnlyList<PlacedDemand> Demands)
{
    /// <summary>The plan and its forecast.</summary>
    public void Deconstruct(out BatteryPlan plan, out IReadOnlyList<PlanSlot> forecast) => (plan, forecast) = (Plan, Forecast);
}
