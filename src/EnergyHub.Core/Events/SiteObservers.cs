using System.Threading.Channels;
using EnergyHub.Core.Commands;
using EnergyHub.Core.Devices;
using EnergyHub.Observers;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Events;

/// <summary>How one observer is keeping up: observations delivered, dropped because its queue was full, and failed.</summary>
public sealed record ObserverStats(string Name, long Delivered, long Dropped, long Failed);

/// <summary>
/// Delivers the site's readings, health changes, decisions and command results to every subscribed
/// <see cref="ISiteObserver"/>: each has its own bounded queue drained by its own loop on the thread pool, so the
/// sources (pollers, services, the gate) only ever enqueue. A full queue drops the newest observation and counts it.
/// </summary>
public sealed class SiteObservers
{
    /// <summary>Observations an observer may fall behind by before new ones are dropped.</summary>
    public const int QueueCapacity = 1000;

    private readonly object _gate = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly TimeProvider _time;

    /// <summary>Wires the site's sources to the observers.</summary>
    public SiteObservers(SiteState site, CommandAuditLog audit, DecisionLog decisions, TimeProvider time)
    {
        _time = time;
        site.ReadingRecorded += (device, reading) => Publish(new ReadingObserved(_time.GetUtcNow(), device, reading));
        site.HealthChanged += Publish;
        decisions.Recorded += entry => Publish(new DecisionObserved(entry.Time, entry.Service, entry.Decision, entry.Details));
        audit.Recorded += entry => Publish(new CommandObserved(entry.Timestamp, entry.Request, entry.Result));
    }

    /// <summary>Starts delivering to <paramref name="observer"/> until the returned handle is disposed.</summary>
    public IDisposable Subscribe(string name, ISiteObserver observer, ILogger logger)
    {
        var subscription = new Subscription(this, name, observer, logger);
        lock (_gate)
        {
            _subscriptions.Add(subscription);
        }
        return subscription;
    }

    /// <summary>Every current observer's counts.</summary>
    public IReadOnlyList<ObserverStats> Stats()
    {
        lock (_gate)
        {
            return _subscriptions.Select(s => s.Stats).ToList();
        }
    }

    private void Publish(SiteObservation observation)
    {
        Subscription[] current;
        lock (_gate)
        {
            current = [.. _subscriptions];
        }
        foreach (var subscription in current)
        {
            subscription.Offer(observation);
        }
    }

    private sealed class Subscription : IDisposable
    {
        private readonly SiteObservers _owner;
        private readonly string _name;
        private readonly ISiteObserver _observer;
        private readonly ILogger _logger;
        private readonly Channel<SiteObservation> _queue =
            Channel.CreateBounded<SiteObservation>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        private readonly CancellationTokenSource _stop = new();
        private long _delivered, _dropped, _failed;
        private bool _failing, _behind;

        public Subscription(SiteObservers owner, string name, ISiteObserver observer, ILogger logger)
        {
            (_owner, _name, _observer, _logger) = (owner, name, observer, logger);
            _ = Task.Run(PumpAsync);
        }

        public ObserverStats Stats => new(_name, Interlocked.Read(ref _delivered), Interlocked.Read(ref _dropped), Interlocked.Read(ref _failed));

        public void Offer(SiteObservation observation)
        {
            if (_queue.Writer.TryWrite(observation))
            {
                return;
            }
            Interlocked.Increment(ref _dropped);
            if (!_behind)
            {
                _behind = true;
                _logger.LogWarning("Observer {Observer} is {Capacity} observations behind: new ones are dropped (counted in energyhub_observer_dropped_total) until it catches up",
                    _name, QueueCapacity);
            }
        }

        private async Task PumpAsync()
        {
            try
            {
                await foreach (var observation in _queue.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                {
                    try
                    {
                        await _observer.ObserveAsync(observation, _stop.Token).ConfigureAwait(false);
                        Interlocked.Increment(ref _delivered);
                        if (_failing)
                        {
                            _failing = false;
                            _logger.LogInformation("Observer {Observer} handles observations again", _name);
                        }
                    }
                    catch (Exception ex) when (!_stop.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref _failed);
                        if (!_failing)
                        {
                            _failing = true;
                            _logger.LogWarning(ex, "Observer {Observer} failed on a {Kind} ({Error}); it keeps receiving observations", _name, observation.GetType().Name, ex.Message);
                        }
                    }
                    if (_behind && _queue.Reader.Count == 0)
                    {
                        _behind = false;
                        _logger.LogInformation("Observer {Observer} has caught up ({Dropped} observations dropped so far)", _name, Interlocked.Read(ref _dropped));
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        }

        public void Dispose()
        {
            lock (_owner._gate)
            {
                _owner._subscriptions.Remove(this);
            }
            _queue.Writer.TryComplete();
            _stop.Cancel();
        }
    }
}
