namespace EnergyHub.Services.SurplusDistributor;

/// <summary>A consumer as one cycle sees it.</summary>
/// <param name="Request">What it asks for.</param>
/// <param name="ConsumptionW">What it draws now, W.</param>
/// <param name="Hold">Its minimum on and off times.</param>
/// <param name="NotTakingPart">Why it gets nothing this cycle (not automatic, stale, unavailable), or null when it takes part.</param>
/// <param name="GrantedW">Its allowance from the last cycle, W: what it draws up to this is surplus it was given, and
/// counts as budget; what it draws beyond (started by hand, by its own logic) is not surplus.</param>
/// <param name="PricedOut">Why it asks for nothing this cycle though it takes part (exporting pays more than its cap), or null;
/// unlike <paramref name="NotTakingPart"/>, its minimum on time still holds.</param>
public sealed record SurplusConsumerState(SurplusRequest Request, double ConsumptionW, HoldTimes Hold, string? NotTakingPart = null, double GrantedW = double.PositiveInfinity,
    string? PricedOut = null);

/// <summary>One cycle's inputs, smoothed, in SDK signs.</summary>
/// <param name="GridW">+ import, − export.</param>
/// <param name="BatteryW">+ charging, − discharging; 0 without a battery.</param>
/// <param name="SocPct">The battery's state of charge; null without a battery (no reservation).</param>
/// <param name="BatteryAcceptW">What the battery can take now (its taper included), W; infinity when not known.</param>
/// <param name="Consumers">Every consumer.</param>
public sealed record SurplusInputs(double GridW, double BatteryW, double? SocPct, double BatteryAcceptW, IReadOnlyList<SurplusConsumerState> Consumers)
{
    /// <summary>PV the inverters hold back and could produce at once (<see cref="Site.SiteBalance.PvHeadroomW"/>), W: surplus as much as export is.</summary>
    public double PvHeadroomW { get; init; }
}

/// <summary>What one cycle decided.</summary>
/// <param name="SurplusW">Export + PV held back by a limit + what the taking-part consumers draw of their allowances + battery charging, W (never below 0).</param>
/// <param name="ReservationW">Kept for the battery, W.</param>
/// <param name="AssignedW">The allowances' sum, W.</param>
/// <param name="Allowances">Every consumer's allowance and why.</param>
public sealed record SurplusCycle(double SurplusW, double ReservationW, double AssignedW, IReadOnlyDictionary<string, AllowanceDecision> Allowances)
{
    /// <summary>The surplus not handed out (the reservation included), W; negative while a hold keeps more than the surplus.</summary>
    public double RemainingW => SurplusW - AssignedW;
}

/// <summary>
/// One cycle of the surplus distributor, pure: the surplus as es-ESS counts it (what would be exported if every
/// controlled consumer and the battery stopped), the battery's reservation by SOC, the allocation by priority
/// (<see cref="SurplusAllocator"/>) and the hysteresis over cycles (<see cref="SurplusHysteresis"/>).
/// </summary>
public sealed class SurplusDistributorController(ReservationRule reservation, double marginW)
{
    private readonly SurplusHysteresis _hysteresis = new(marginW);

    /// <summary>Decides the allowances at <paramref name="now"/>.</summary>
    public SurplusCycle Decide(DateTimeOffset now, SurplusInputs inputs)
    {
        var taking = inputs.Consumers.Where(c => c.NotTakingPart is null).ToList();
        var surplus = Math.Max(0, -inputs.GridW + inputs.PvHeadroomW + taking.Sum(c => Math.Min(c.ConsumptionW, c.GrantedW)) + inputs.BatteryW);
        var reserved = inputs.SocPct is { } soc ? reservation.At(soc, inputs.BatteryAcceptW) : 0;
        var requests = taking.Select(c => c.PricedOut is null ? c.Request : c.Request with { Request = 0 }).ToList();
        var holds = taking.ToDictionary(c => c.Request.Key, c => c.Hold, StringComparer.Ordinal);
        var decided = _hysteresis.Decide(now, SurplusAllocator.Allocate(surplus, reserved, requests),
            SurplusAllocator.Allocate(surplus + marginW, reserved, requests), key => holds[key]);
        var allowances = new Dictionary<string, AllowanceDecision>(StringComparer.Ordinal);
        foreach (var consumer in inputs.Consumers)
        {
            allowances[consumer.Request.Key] = consumer.NotTakingPart is { } why ? new AllowanceDecision(0, why)
                : consumer.PricedOut is { } pricedOut && decided[consumer.Request.Key].W == 0 ? new AllowanceDecision(0, pricedOut)
                : decided[consumer.Request.Key];
        }
        return new SurplusCycle(surplus, reserved, allowances.Values.Sum(a => a.W), allowances);
    }

    /// <summary>Every allowance 0 with <paramref name="why"/> (a stale meter, a stop); the hysteresis starts afresh.</summary>
    public SurplusCycle Nothing(IEnumerable<string> keys, string why)
    {
        _hysteresis.Reset();
        return new SurplusCycle(0, 0, 0, keys.ToDictionary(k => k, _ => new AllowanceDecision(0, why), StringComparer.Ordinal));
    }
}
