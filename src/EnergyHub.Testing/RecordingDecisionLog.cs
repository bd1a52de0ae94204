using EnergyHub.Services;

namespace EnergyHub.Testing;

/// <summary>One recorded decision: its word and its details.</summary>
/// <param name="Decision">The decision, e.g. <c>limiting</c>.</param>
/// <param name="Details">Its inputs and outputs.</param>
public sealed record RecordedDecision(string Decision, IReadOnlyDictionary<string, object?> Details);

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
    public void Record(string decision, IReadOnlyDictionary<string, object?> details)
    {
        lock (_decisions)
        {
            _decisions.Add(new RecordedDecision(decision, details));
        }
    }
}
