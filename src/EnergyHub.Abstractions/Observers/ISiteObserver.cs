namespace EnergyHub.Observers;

/// <summary>
/// Sees what happens on the site (readings, health changes, decisions, command results) without being on the control
/// path, in the spirit of a log sink: an MQTT exporter, Home Assistant discovery, a custom logger. A service that also
/// implements this interface is subscribed while it runs (switched on in <c>[Services]</c> like any service).
/// </summary>
/// <remarks>
/// Each observer has its own bounded queue and is called one observation at a time, on the thread pool. An observer
/// that falls behind loses the newest observations, counted as drops (<c>energyhub_observer_dropped_total</c>); it never
/// delays a reading, a service tick or a command. An exception is logged and counted, and the next observation is
/// delivered as usual.
/// </remarks>
public interface ISiteObserver
{
    /// <summary>Handles one observation; <paramref name="cancellationToken"/> is cancelled when the observer is unsubscribed.</summary>
    ValueTask ObserveAsync(SiteObservation observation, CancellationToken cancellationToken);
}
