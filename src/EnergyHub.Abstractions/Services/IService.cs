namespace EnergyHub.Services;

/// <summary>
/// A unit of behaviour switched on in <c>[Services]</c>. The core calls <see cref="ExecuteAsync"/> once per
/// <see cref="Options.ServiceOptions.Interval"/>, never concurrently with itself. A service reads the site from
/// <see cref="ServiceTick.Site"/>, asks for changes through <see cref="ServiceTick.Commands"/>, and talks to no
/// device and no other service directly.
/// </summary>
public interface IService
{
    /// <summary>The name from <c>[Services]</c>.</summary>
    string Name { get; }

    /// <summary>Decides and acts once. An exception marks the service failed; the core restarts it with backoff.</summary>
    Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken);

    /// <summary>
    /// Puts everything the service controls back into its safe state (e.g. lifts a curtailment, revokes allowances).
    /// Called on shutdown and after a failure, before a restart.
    /// </summary>
    Task StopAsync(ServiceTick tick, CancellationToken cancellationToken);

    /// <summary>
    /// True for a service that stands in for hardware (an emulator): on shutdown it is stopped only after every other
    /// service has restored its safe state through it.
    /// </summary>
    bool StandsInForHardware => false;
}

/// <summary>
/// A service that shows what it is doing beyond its decisions (the consumers it serves, their allowances): a document
/// of plain values, with units in the names, for the API (<c>/api/services/{name}/status</c>) and the page. Read from
/// another thread than the ticks: return a snapshot, never a live collection. The document is a record of the
/// service's own (the page's TypeScript declarations are generated from it, so a renamed field fails the build).
/// </summary>
/// <typeparam name="TStatus">The service's status record.</typeparam>
public interface IHasStatus<out TStatus> where TStatus : class
{
    /// <summary>The document now, or null before there is anything to show.</summary>
    TStatus? Status { get; }
}

/// <summary>
/// Small state a service keeps across restarts (counters, statistics) in the site's journal, found in the shared
/// resources under <see cref="SharedKey"/> when <c>[Journal]</c> is on. Writes are synchronous and meant to be rare
/// (every few minutes, and on stop).
/// </summary>
public interface IServiceStateStore
{
    /// <summary>The key of the store in <see cref="Plugins.ISharedResources"/>.</summary>
    const string SharedKey = "energyhub.state";

    /// <summary>The JSON kept under <paramref name="key"/> for <paramref name="service"/>, or null when there is none.</summary>
    /// <exception cref="IOException">The store could not be read.</exception>
    string? Load(string service, string key);

    /// <summary>Keeps <paramref name="json"/> under <paramref name="key"/> for <paramref name="service"/>, replacing what was there.</summary>
    /// <exception cref="IOException">It could not be written (disk full, database locked); nothing was changed.</exception>
    void Save(string service, string key, string json);
}
