namespace EnergyHub.Services;

/// <summary>
/// Where a service writes what it decided and why, once per tick or state change: kept in the journal, shown in the
/// API and on the live page, so a person can always tell why the site did what it did.
/// </summary>
public interface IDecisionLog
{
    /// <summary>Records a decision, e.g. <c>limiting</c>, with its inputs and reasons (values with units in their names).</summary>
    void Record(string decision, IReadOnlyDictionary<string, object?> details);
}

/// <summary>A decision log that keeps nothing (for tests and replays that do not need one).</summary>
public sealed class NullDecisionLog : IDecisionLog
{
    /// <summary>The shared instance.</summary>
    public static readonly NullDecisionLog Instance = new();

    /// <inheritdoc />
    public void Record(string decision, IReadOnlyDictionary<string, object?> details)
    {
    }
}
