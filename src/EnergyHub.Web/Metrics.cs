using EnergyHub.Core.Devices;
using EnergyHub.Core.Commands;
using EnergyHub.Core.Events;
using EnergyHub.Core.Journal;
using EnergyHub.Core.Metrics;
using EnergyHub.Core.Scheduling;
using EnergyHub.Readings;
using EnergyHub.Site;
using Prometheus;

namespace EnergyHub.Web;

/// <summary>
/// /metrics on prometheus-net: the site's registry (<see cref="SiteMetrics"/>: read and tick histograms) plus what is
/// computed from the site before each scrape: readings as gauges named by unit (<c>energyhub_reading_watts</c>), device
/// health, service failures, commands by status, observers and the journal. A series that disappears is removed.
/// </summary>
public sealed class Metrics
{
    private readonly SiteMetrics _metrics;
    private readonly SiteState _state;
    private readonly ServiceStatusBoard _board;
    private readonly CommandAuditLog _audit;
    private readonly SiteJournal? _journal;
    private readonly SiteObservers? _observers;
    private readonly Dictionary<string, Gauge> _readings = new(StringComparer.Ordinal);
    private readonly HashSet<(Gauge Gauge, string Device, string Series)> _readingLabels = [];
    private readonly Dictionary<string, Collector> _serviceMetrics = new(StringComparer.Ordinal);
    private readonly HashSet<(Collector Metric, string[] Labels)> _serviceLabels = new(ServiceLabelComparer.Instance);
    private readonly Gauge _online;
    private readonly Gauge _age;
    private readonly Counter _serviceFailures;
    private readonly Counter _commands;
    private readonly Counter _observerDelivered;
    private readonly Counter _observerDropped;
    private readonly Counter _observerFailed;
    private readonly Gauge? _journalQueue;
    private readonly Counter? _journalDropped;
    private readonly Gauge? _journalFailing;
    private readonly Lock _gate = new();

    /// <summary>Exports the site behind <paramref name="metrics"/>; the optional parts only when the site has them.</summary>
    public Metrics(SiteMetrics metrics, SiteState state, ServiceStatusBoard board, CommandAuditLog audit, SiteJournal? journal, SiteObservers? observers)
    {
        (_metrics, _state, _board, _audit, _journal, _observers) = (metrics, state, board, audit, journal, observers);
        var f = metrics.Factory;
        _online = f.CreateGauge("energyhub_device_online", "1 when the device's data is fresh, 0 when stale, offline or unknown.", ["device", "health"]);
        _age = f.CreateGauge("energyhub_device_age_seconds", "Age of the device's last reading.", ["device"]);
        _serviceFailures = f.CreateCounter("energyhub_service_failures_total", "Ticks that threw or timed out.", ["service"]);
        _commands = f.CreateCounter("energyhub_commands_total", "Commands handled by the command gate since start, by device and outcome.", ["device", "status"]);
        _observerDelivered = f.CreateCounter("energyhub_observer_delivered_total", "Observations an observer has handled.", ["observer"]);
        _observerDropped = f.CreateCounter("energyhub_observer_dropped_total", "Observations dropped because the observer's queue was full.", ["observer"]);
        _observerFailed = f.CreateCounter("energyhub_observer_failed_total", "Observations the observer threw on.", ["observer"]);
        if (journal is not null)
        {
            _journalQueue = f.CreateGauge("energyhub_journal_queue_depth", "Records waiting to be written to the journal.");
            _journalDropped = f.CreateCounter("energyhub_journal_dropped_total", "Records dropped because the journal queue was full (raw readings first) or lost at shutdown.");
            _journalFailing = f.CreateGauge("energyhub_journal_failing", "1 while the last journal write failed (disk full, database locked).");
        }
        metrics.Registry.AddBeforeCollectCallback(Update);
    }

    /// <summary>The Prometheus metric name for readings in <paramref name="unit"/> (a symbol from <see cref="Conventions"/>; prices in any currency per kWh share one name).</summary>
    public static string ReadingMetricName(string unit) => "energyhub_reading_" + unit switch
    {
        _ when unit.EndsWith("/kWh", StringComparison.Ordinal) => "per_kwh",
        "W" => "watts",
        "Wh" => "watt_hours",
        "V" => "volts",
        "A" => "amperes",
        "Hz" => "hertz",
        "%" => "percent",
        "°C" => "celsius",
        _ => "value",
    };

    /// <summary>Writes the text exposition format (0.0.4).</summary>
    public Task WriteAsync(Stream body, CancellationToken cancellationToken) =>
        _metrics.Registry.CollectAndExportAsTextAsync(body, cancellationToken);

    private void Update()
    {
        lock (_gate)
        {
            var site = _state.Snapshot();
            UpdateReadings(site);
            UpdateServiceMetrics();
            foreach (var device in site.Devices.Values)
            {
                foreach (var health in Enum.GetValues<DeviceHealth>())
                {
                    // One series per device: the one of its current health; the others are removed.
                    if (health == device.Health)
                    {
                        _online.WithLabels(device.Id, health.ToString()).Set(health == DeviceHealth.Online ? 1 : 0);
                    }
                    else
                    {
                        _online.RemoveLabelled(device.Id, health.ToString());
                    }
                }
                if (device.Age is { } age)
                {
                    _age.WithLabels(device.Id).Set(age.TotalSeconds);
                }
            }
            foreach (var service in _board.All())
            {
                _serviceFailures.WithLabels(service.Name).IncTo(service.TotalFailures);
            }
            foreach (var ((device, status), count) in _audit.Totals())
            {
                _commands.WithLabels(device, status.ToString()).IncTo(count);
            }
            foreach (var o in _observers?.Stats() ?? [])
            {
                _observerDelivered.WithLabels(o.Name).IncTo(o.Delivered);
                _observerDropped.WithLabels(o.Name).IncTo(o.Dropped);
                _observerFailed.WithLabels(o.Name).IncTo(o.Failed);
            }
            if (_journal is not null)
            {
                _journalQueue!.Set(_journal.QueueDepth);
                _journalDropped!.IncTo(_journal.Dropped);
                _journalFailing!.Set(_journal.Failing ? 1 : 0);
            }
        }
    }

    // What services export (IHasMetrics), as gauges and counters named energyhub_{name}; a series no longer exported is removed.
    private void UpdateServiceMetrics()
    {
        var seen = new HashSet<(Collector Metric, string[] Labels)>(ServiceLabelComparer.Instance);
        foreach (var (service, instance) in _board.WithMetrics())
        {
            IReadOnlyList<EnergyHub.Services.ServiceMetric> metrics;
            try
            {
                metrics = instance.Metrics();
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                continue; // a service between two states exports nothing this scrape
            }
            foreach (var m in metrics)
            {
                var name = "energyhub_" + m.Name;
                string[] labelNames = [.. m.Labels.Select(l => l.Key)];
                string[] values = [.. m.Labels.Select(l => l.Value)];
                if (!_serviceMetrics.TryGetValue(name, out var metric))
                {
                    metric = m.IsCounter ? _metrics.Factory.CreateCounter(name, m.Help, labelNames) : _metrics.Factory.CreateGauge(name, m.Help, labelNames);
                    _serviceMetrics[name] = metric;
                }
                if (metric is Counter counter)
                {
                    counter.WithLabels(values).IncTo(m.Value);
                }
                else if (metric is Gauge gauge)
                {
                    gauge.WithLabels(values).Set(m.Value);
                }
                seen.Add((metric, values));
            }
        }
        foreach (var gone in _serviceLabels.Except(seen, ServiceLabelComparer.Instance).ToList())
        {
            switch (gone.Metric)
            {
                case Counter c: c.RemoveLabelled(gone.Labels); break;
                case Gauge g: g.RemoveLabelled(gone.Labels); break;
            }
            _serviceLabels.Remove(gone);
        }
        _serviceLabels.UnionWith(seen);
    }

    private sealed class ServiceLabelComparer : IEqualityComparer<(Collector Metric, string[] Labels)>
    {
        public static ServiceLabelComparer Instance { get; } = new();

        public bool Equals((Collector Metric, string[] Labels) x, (Collector Metric, string[] Labels) y) =>
            ReferenceEquals(x.Metric, y.Metric) && x.Labels.SequenceEqual(y.Labels);

        public int GetHashCode((Collector Metric, string[] Labels) obj) =>
            HashCode.Combine(obj.Metric, string.Join('\u001f', obj.Labels));
    }

    private void UpdateReadings(SiteSnapshot site)
    {
        var seen = new HashSet<(Gauge Gauge, string Device, string Series)>();
        foreach (var device in site.Devices.Values.Where(d => d.Reading is not null))
        {
            foreach (var v in ReadingSeries.Flatten(device.Reading!))
            {
                var name = ReadingMetricName(v.Unit);
                if (!_readings.TryGetValue(name, out var gauge))
                {
                    gauge = _metrics.Factory.CreateGauge(name, $"Latest value of every reading in {(v.Unit.Length > 0 ? v.Unit : "no unit")} (grid + import, battery + charging).", ["device", "series"]);
                    _readings[name] = gauge;
                }
                gauge.WithLabels(device.Id, v.Name).Set(v.Value);
                seen.Add((gauge, device.Id, v.Name));
            }
        }
        foreach (var gone in _readingLabels.Except(seen).ToList())
        {
            gone.Gauge.RemoveLabelled(gone.Device, gone.Series);
            _readingLabels.Remove(gone);
        }
        _readingLabels.UnionWith(seen);
    }
}
