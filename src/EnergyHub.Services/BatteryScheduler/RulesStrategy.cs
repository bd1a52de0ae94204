namespace EnergyHub.Services.BatteryScheduler;

/// <summary>
/// <c>Strategy = Rules</c> in a replay: before every slot the coordinator's rules decide on the prices known, the last
/// day's prices and the state of charge, in local time; a charge is the seed's fast charge (90 % of the battery's
/// charge power) to the decision's target, anything else the battery's own self-consumption.
/// </summary>
public sealed class RulesStrategy(BatterySpec battery, RulesSettings settings, TimeZoneInfo zone)
{
    private readonly CoordinatorRules _rules = new(settings);

    /// <summary>The order for the slot <paramref name="view"/> stands before.</summary>
    public BatteryOrder Decide(ReplayView view)
    {
        DateTimeOffset Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone);
        var perDay = (int)Math.Round(TimeSpan.FromDays(1) / view.Known[0].Length);
        var decision = _rules.Decide(new RulesInputs(Local(view.Known[0].Start), view.SocPct,
            [.. view.Known.Select(s => new PricePoint(Local(s.Start), s.ImportPerKwh))],
            [.. view.Past.Skip(Math.Max(0, view.Past.Count - perDay)).Select(s => new PricePoint(Local(s.Start), s.ImportPerKwh))]));
        return BatteryOrder.Of(decision, battery);
    }
}
