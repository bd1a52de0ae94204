using Prometheus;

namespace EnergyHub.Core.Metrics;

/// <summary>
/// The site's Prometheus registry (prometheus-net): histograms observed as things happen (device reads, service ticks),
/// and a place for exporters to add what they compute from the site's state before each scrape. One per site, so two
/// sites in one process (tests) never mix their figures.
/// </summary>
public sealed class SiteMetrics
{
    // From a fast Modbus read (ms) to a slow cloud API (tens of seconds).
    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Histogram _poll;
    private readonly Histogram _tick;

    public SiteMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _poll = Factory.CreateHistogram("energyhub_device_read_duration_seconds", "Time one read of a device took, by outcome (ok or failed).",
            new HistogramConfiguration { LabelNames = ["device", "outcome"], Buckets = DurationBuckets });
        _tick = Factory.CreateHistogram("energyhub_service_tick_duration_seconds", "Time one successful tick of a service took.",
            new HistogramConfiguration { LabelNames = ["service"], Buckets = DurationBuckets });
    }

    /// <summary>The registry /metrics exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Creates further metrics in <see cref="Registry"/>.</summary>
    public IMetricFactory Factory { get; }

    /// <summary>Records one read of <paramref name="device"/>.</summary>
    public void ObserveRead(string device, bool succeeded, TimeSpan duration) =>
        _poll.WithLabels(device, succeeded ? "ok" : "failed").Observe(duration.TotalSeconds);

    /// <summary>Records one successful tick of <paramref name="service"/>.</summary>
    public void ObserveTick(string service, TimeSpan duration) => _tick.WithLabels(service).Observe(duration.TotalSeconds);
}
