using EnergyHub.Core.Fleet;
using EnergyHub.Core.Journal;
using Prometheus;

namespace EnergyHub.Web.Fleet;

/// <summary>
/// The fleet's /metrics: sites by status, each site's lag and age, messages taken and rejected, and the journal's queue,
/// drops and failure, computed before each scrape. A site no longer heard of is removed.
/// </summary>
public sealed class FleetMetrics
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly FleetState _state;
    private readonly SiteJournal? _journal;
    private readonly Gauge _sites;
    private readonly Gauge _lag;
    private readonly Gauge _age;
    private readonly Counter _messages;
    private readonly Counter _rejected;
    private readonly Gauge _queue;
    private readonly Counter _dropped;
    private readonly Gauge _failing;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Exports <paramref name="state"/> and <paramref name="journal"/>.</summary>
    public FleetMetrics(FleetState state, SiteJournal? journal)
    {
        (_state, _journal) = (state, journal);
        var f = Prometheus.Metrics.WithCustomRegistry(_registry);
        _sites = f.CreateGauge("energyhub_fleet_sites", "Sites of the fleet by status (Online, Degraded, Stale, Offline).", ["status"]);
        _lag = f.CreateGauge("energyhub_fleet_site_lag_seconds", "How long the site's last summary took from the site to the fleet.", ["site"]);
        _age = f.CreateGauge("energyhub_fleet_site_age_seconds", "How long ago the site's last summary was sent.", ["site"]);
        _messages = f.CreateCounter("energyhub_fleet_messages_total", "Messages taken from the broker.");
        _rejected = f.CreateCounter("energyhub_fleet_rejected_total", "Messages that were not what their topic says (skipped).");
        _queue = f.CreateGauge("energyhub_journal_queue_depth", "Records waiting to be written to the journal.");
        _dropped = f.CreateCounter("energyhub_journal_dropped_total", "Records dropped because the journal queue was full (raw readings first) or lost at shutdown.");
        _failing = f.CreateGauge("energyhub_journal_failing", "1 while the last journal write failed (database away, disk full).");
        _registry.AddBeforeCollectCallback(Update);
    }

    /// <summary>Writes the metrics in Prometheus' text format.</summary>
    public Task WriteAsync(Stream body, CancellationToken cancellationToken) => _registry.CollectAndExportAsTextAsync(body, cancellationToken);

    private void Update()
    {
        lock (_gate)
        {
            var sites = _state.Sites();
            foreach (var status in Enum.GetValues<FleetSiteStatus>())
            {
                _sites.WithLabels(status.ToString()).Set(sites.Count(s => s.Status == status));
            }
            foreach (var gone in _known.Except(sites.Select(s => s.Id)).ToList())
            {
                _lag.RemoveLabelled(gone);
                _age.RemoveLabelled(gone);
                _known.Remove(gone);
            }
            foreach (var site in sites)
            {
                _known.Add(site.Id);
                if (site.Lag is { } lag)
                {
                    _lag.WithLabels(site.Id).Set(lag.TotalSeconds);
                }
                if (site.Age is { } age)
                {
                    _age.WithLabels(site.Id).Set(age.TotalSeconds);
                }
            }
            _messages.IncTo(_state.Messages);
            _rejected.IncTo(_state.Rejected);
            if (_journal is not null)
            {
                _queue.Set(_journal.QueueDepth);
                _dropped.IncTo(_journal.Dropped);
                _failing.Set(_journal.Failing ? 1 : 0);
            }
        }
    }
}
