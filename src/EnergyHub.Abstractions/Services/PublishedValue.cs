namespace EnergyHub.Services;

/// <summary>
/// One value a service offers to the site's message bus, under the site's topic prefix. The service says what and
/// where; the core publishes it (when it changes, and again after a reconnect), so no service holds a connection.
/// </summary>
/// <param name="Path">Where, under the prefix, e.g. <c>EvCharging/wallbox/State</c> or <c>SurplusDistributor/Calculations/OverheadAvailable</c>.</param>
/// <param name="Text">The payload as text: a number in invariant culture, a word or a JSON document.</param>
/// <param name="Retain">Kept by the broker for late subscribers (state), or not (a figure of this cycle).</param>
public sealed record PublishedValue(string Path, string Text, bool Retain = false);

/// <summary>
/// A service with values for the site's message bus (<c>[Mqtt]</c>); read after each of its ticks and after it stops, from
/// the thread that ran it.
/// </summary>
public interface IHasPublishedValues
{
    /// <summary>The values as they are now.</summary>
    IReadOnlyList<PublishedValue> Published { get; }
}
