using EnergyHub.Services;

namespace EnergyHub.Testing;

/// <summary>One recorded decision: its word and its record.</summary>
/// <param name="Decision">The decision, e.g. <c>limiting</c>.</param>
/// <param name="Details">The service's decision record.</param>
public sealed record RecordedDecision(string Decision, Decision Details)
{
    /// <summary>The record as the service's own type; fails the test naming the type it is when it is another.</summary>
    public T As<T>() where T : Decision => Details as T
        ?? throw new InvalidCastException($"the decision '{Decision}' is a {Details.GetType().Name}, not a {typeof(T).Name}");
}

/// <summary>A decision log that keeps every decision a service records.</summary>
public sealed class RecordingDecisionLog : IDecisionLog
{
    private readonly List<RecordedDecision> _decisions = [];

    /// <summary>Every decision recorded, oldest first.</summary>
    public IReadOnlyList<RecordedDecision> Decisions
    {
        get
        {
            lock (_decisions)
            {
                return [.. _decisions];
            }
        }
    }

    /// <inheritdoc />
    public void Record(Decision decision)
    {
        lock (_decisions)
        {
            _decisions.Add(new RecordedDecision(decision.Name, decision));
        }
    }
}
