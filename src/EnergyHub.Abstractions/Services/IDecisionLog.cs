using System.Text.Json.Serialization;

namespace EnergyHub.Services;

/// <summary>
/// A decision a service made, with what it stood on and why: each service records records of its own derived from this
/// one, with units in the property names. The journal, the live stream, the observers and the page get them as they are
/// (JSON in camelCase), so a person can always tell why the site did what it did.
/// </summary>
public abstract record Decision
{
    /// <summary>The decision in a word or two, e.g. <c>limiting</c>: what the timeline shows and filters by.</summary>
    [JsonIgnore]
    public abstract string Name { get; }
}

/// <summary>
/// Where a service writes what it decided and why, once per tick or state change: kept in the journal, shown in the
/// API and on the live page.
/// </summary>
public interface IDecisionLog
{
    /// <summary>Records <paramref name="decision"/>.</summary>
    void Record(Decision decision);
}

// The log of a tick made without one: keeps nothing.
internal sealed class NullDecisionLog : IDecisionLog
{
    public static readonly NullDecisionLog Instance = new();

    public void Record(Decision decision)
    {
    }
}
