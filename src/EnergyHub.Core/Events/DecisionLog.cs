using EnergyHub.Services;

namespace EnergyHub.Core.Events;

/// <summary>One decision of one service.</summary>
public sealed record DecisionEntry(DateTimeOffset Time, string Service, string Decision, EnergyHub.Services.Decision Details);

/// <summary>Collects every service's decisions and raises them to the journal and the live stream.</summary>
public sealed class DecisionLog(TimeProvider time)
{
    /// <summary>Raised for every decision; handlers must not block.</summary>
    public event Action<DecisionEntry>? Recorded;

    /// <summary>The log one service writes to.</summary>
    public IDecisionLog For(string service) => new ServiceLog(this, service);

    private void Add(string service, EnergyHub.Services.Decision decision) =>
        Recorded?.Invoke(new DecisionEntry(time.GetUtcNow(), service, decision.Name, decision));

    private sealed class ServiceLog(DecisionLog owner, string service) : IDecisionLog
    {
        public void Record(EnergyHub.Services.Decision decision) => owner.Add(service, decision);
    }
}
