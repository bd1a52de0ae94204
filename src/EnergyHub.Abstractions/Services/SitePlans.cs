namespace EnergyHub.Services;

/// <summary>
/// Energy a service needs stored by a deadline (a car's charge plan, "20 kWh by 07:00"): a second store beside the
/// battery, which the site's planner places together with the battery over the price horizon.
/// </summary>
/// <param name="Id">What it is for, unique on the site (the charger's device id).</param>
/// <param name="EnergyWh">Energy still missing, Wh.</param>
/// <param name="Deadline">When it must be in.</param>
/// <param name="MaxPowerW">The most it can take, W.</param>
public sealed record EnergyDemand(string Id, double EnergyWh, DateTimeOffset Deadline, double MaxPowerW);

/// <summary>One slot of a <see cref="DemandPlan"/>.</summary>
/// <param name="Start">The slot's start.</param>
/// <param name="End">Its end.</param>
/// <param name="PowerW">The mean power planned into the demand, W.</param>
/// <param name="GridW">Of it, what the plan expects from the grid, W (the rest comes from PV the house and battery leave).</param>
/// <param name="ImportPerKwh">The slot's import price; null beyond the published prices.</param>
public sealed record DemandSlot(DateTimeOffset Start, DateTimeOffset End, double PowerW, double GridW, double? ImportPerKwh);

/// <summary>Where the site's planner placed an <see cref="EnergyDemand"/>.</summary>
/// <param name="Demand">The demand as it was planned.</param>
/// <param name="PlannedAt">When.</param>
/// <param name="Planner">Who planned it (a service's name).</param>
/// <param name="Slots">The slots with energy planned, in time order.</param>
/// <param name="Why">In words.</param>
public sealed record DemandPlan(EnergyDemand Demand, DateTimeOffset PlannedAt, string Planner, IReadOnlyList<DemandSlot> Slots, string Why);

/// <summary>
/// The site's board for plans made together: a service posts the <see cref="EnergyDemand"/>s it wants placed (again on
/// every tick it still wants them), the service that plans the site (BatteryScheduler) reads them, places them together
/// with the battery and posts a <see cref="DemandPlan"/> for each, which the first service carries out. One per site,
/// shared by all its services; safe to use from several at once. A demand not posted again within
/// <see cref="DemandLifetime"/> is gone (its service stopped).
/// </summary>
public sealed class SitePlans
{
    /// <summary>How long a posted demand stands without being posted again.</summary>
    public static readonly TimeSpan DemandLifetime = TimeSpan.FromMinutes(10);

    private readonly object _gate = new();
    private readonly Dictionary<string, (EnergyDemand Demand, DateTimeOffset At)> _demands = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DemandPlan> _plans = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Posts (or replaces) <paramref name="demand"/> at <paramref name="now"/>.</summary>
    public void Post(EnergyDemand demand, DateTimeOffset now)
    {
        lock (_gate)
        {
            _demands[demand.Id] = (demand, now);
        }
    }

    /// <summary>Takes the demand <paramref name="id"/> and its plan off the board.</summary>
    public void Withdraw(string id)
    {
        lock (_gate)
        {
            _demands.Remove(id);
            _plans.Remove(id);
        }
    }

    /// <summary>The demands standing at <paramref name="now"/>, by id.</summary>
    public IReadOnlyList<EnergyDemand> Demands(DateTimeOffset now)
    {
        lock (_gate)
        {
            return [.. _demands.Values.Where(d => now - d.At <= DemandLifetime && d.Demand.Deadline > now).Select(d => d.Demand).OrderBy(d => d.Id, StringComparer.Ordinal)];
        }
    }

    /// <summary>Posts the plan for a demand, replacing the one before.</summary>
    public void Publish(DemandPlan plan)
    {
        lock (_gate)
        {
            _plans[plan.Demand.Id] = plan;
        }
    }

    /// <summary>The latest plan for the demand <paramref name="id"/>, or null when none was made.</summary>
    public DemandPlan? PlanOf(string id)
    {
        lock (_gate)
        {
            return _plans.GetValueOrDefault(id);
        }
    }
}
