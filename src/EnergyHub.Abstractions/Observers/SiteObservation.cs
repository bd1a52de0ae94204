using EnergyHub.Commands;
using EnergyHub.Readings;
using EnergyHub.Site;

namespace EnergyHub.Observers;

/// <summary>Something that happened on the site at <see cref="Time"/> (UTC), as an <see cref="ISiteObserver"/> sees it.</summary>
/// <param name="Time">When it happened.</param>
public abstract record SiteObservation(DateTimeOffset Time);

/// <summary>A device was read.</summary>
/// <param name="Time">When the reading was recorded.</param>
/// <param name="DeviceId">The device.</param>
/// <param name="Reading">The reading; <see cref="Values"/> names its values as the journal and the API do.</param>
public sealed record ReadingObserved(DateTimeOffset Time, string DeviceId, DeviceReading Reading) : SiteObservation(Time)
{
    /// <summary>Every numeric value of the reading with its series name and unit (see <see cref="ReadingSeries"/>).</summary>
    public IReadOnlyList<SeriesValue> Values => ReadingSeries.Flatten(Reading);
}

/// <summary>A device's health changed.</summary>
/// <param name="Time">When the change was seen.</param>
/// <param name="DeviceId">The device.</param>
/// <param name="Before">Its health before.</param>
/// <param name="After">Its health now.</param>
/// <param name="Error">The last read error, when the change came from a failure.</param>
public sealed record HealthObserved(DateTimeOffset Time, string DeviceId, DeviceHealth Before, DeviceHealth After, string? Error) : SiteObservation(Time);

/// <summary>A service recorded a decision.</summary>
/// <param name="Time">When it was recorded.</param>
/// <param name="Service">The service.</param>
/// <param name="Decision">The decision in a word, e.g. <c>limiting</c>.</param>
/// <param name="Details">The service's decision record: its inputs and outputs, units in the names.</param>
public sealed record DecisionObserved(DateTimeOffset Time, string Service, string Decision, Services.Decision Details) : SiteObservation(Time);

/// <summary>The command gate handled a command.</summary>
/// <param name="Time">When it was handled.</param>
/// <param name="Request">What was asked, by whom and why.</param>
/// <param name="Result">What came of it.</param>
public sealed record CommandObserved(DateTimeOffset Time, CommandRequest Request, CommandResult Result) : SiteObservation(Time);
