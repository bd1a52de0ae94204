namespace EnergyHub.Services.SurplusDistributor;

/// <summary>What a consumer asks of the surplus, in es-ESS's terms.</summary>
/// <param name="Key">Its key (a device id or a scripted consumer's topic key).</param>
/// <param name="Priority">Lower is served first.</param>
/// <param name="Request">The most it can use, W.</param>
/// <param name="StepSize">What each grant after the first adds, W (all-or-nothing consumers: their Request).</param>
/// <param name="Minimum">The first grant, W: it cannot run on less (an EV's 6 A); 0 = the first grant is a step.</param>
/// <param name="PriorityShift">Added to its priority after each grant, so others get their turn.</param>
/// <param name="IgnoreBatReservation">Served from the whole surplus, the battery's reservation included.</param>
public sealed record SurplusRequest(string Key, double Priority, double Request, double StepSize, double Minimum = 0, double PriorityShift = 0,
    bool IgnoreBatReservation = false);

/// <summary>One grant, in the order given.</summary>
/// <param name="Key">The consumer.</param>
/// <param name="W">What it was granted, W.</param>
/// <param name="Priority">Its effective priority when granted (the priority plus the shifts so far).</param>
public sealed record SurplusGrant(string Key, double W, double Priority);

/// <summary>The result of one allocation.</summary>
/// <param name="Allowances">Every consumer's allowance, W (0 for those that got nothing).</param>
/// <param name="Grants">The grants in order.</param>
/// <param name="RemainingW">The surplus left over (the reservation included), W.</param>
public sealed record SurplusAllocation(IReadOnlyDictionary<string, double> Allowances, IReadOnlyList<SurplusGrant> Grants, double RemainingW);

/// <summary>
/// Hands a surplus out in grants by priority, es-ESS's SolarOverheadDistributor rule with its defects fixed: one grant
/// per pass to the consumer whose effective priority is lowest (ties: the order given), its <c>Minimum</c> first and
/// <c>StepSize</c> after; each grant moves its priority by <c>PriorityShift</c> plus a cumulative 0.0001, so between
/// equals the one granted less often goes first. A grant is made when it fits the surplus less the battery's
/// reservation (or the whole surplus with <c>IgnoreBatReservation</c>, which no longer jumps the queue); a grant equal
/// to what is left is made; no consumer gets more than its <c>Request</c>.
/// </summary>
public static class SurplusAllocator
{
    private const double ShiftTieBreak = 0.0001;

    /// <summary>Allocates <paramref name="surplusW"/>, keeping <paramref name="reservationW"/> for the battery, among <paramref name="consumers"/>.</summary>
    public static SurplusAllocation Allocate(double surplusW, double reservationW, IReadOnlyList<SurplusRequest> consumers)
    {
        var allowance = consumers.ToDictionary(c => c.Key, _ => 0.0, StringComparer.Ordinal);
        var priority = consumers.ToDictionary(c => c.Key, c => c.Priority, StringComparer.Ordinal);
        var grants = new List<SurplusGrant>();
        var remaining = Math.Max(0, surplusW);
        const double tolerance = 1e-6;
        while (true)
        {
            SurplusGrant? granted = null;
            foreach (var consumer in consumers.OrderBy(c => priority[c.Key]))   // OrderBy is stable: ties keep the order given
            {
                var given = allowance[consumer.Key];
                var want = given == 0 && consumer.Minimum > 0 ? consumer.Minimum : consumer.StepSize;
                var grant = Math.Min(want, consumer.Request - given);
                if (grant <= 0 || (given == 0 && grant < consumer.Minimum))
                {
                    continue;
                }
                var budget = consumer.IgnoreBatReservation ? remaining : remaining - reservationW;
                if (grant <= budget + tolerance)
                {
                    granted = new SurplusGrant(consumer.Key, grant, priority[consumer.Key]);
                    break;
                }
            }
            if (granted is null)
            {
                return new SurplusAllocation(allowance, grants, remaining);
            }
            grants.Add(granted);
            allowance[granted.Key] += granted.W;
            remaining -= granted.W;
            var shift = consumers.First(c => c.Key == granted.Key).PriorityShift;
            if (shift > 0)
            {
                priority[granted.Key] += shift + ShiftTieBreak;
            }
        }
    }
}
