using EnergyHub.TestSupport;
using EnergyHub.Time;
using EnergyHub.Commands;
using EnergyHub.Core.Commands;
using EnergyHub.Core.Config;
using EnergyHub.Core.Devices;
using EnergyHub.Core.Events;
using EnergyHub.Core.Plugins;
using EnergyHub.Core.Scheduling;
using EnergyHub.Core.Tests.Support;
using EnergyHub.Observers;
using EnergyHub.Options;
using EnergyHub.Plugins;
using EnergyHub.Readings;
using EnergyHub.Services;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests.Events;

public sealed class SiteObserversTests
{
    private ManualTimeProvider _time = null!;
    private SiteState _site = null!;
    private CommandAuditLog _audit = null!;
    private DecisionLog _decisions = null!;
    private SiteObservers _observers = null!;
    private CommandGate _gate = null!;

    [SetUp]
    public void Build()
    {
        _time = new ManualTimeProvider(Sessions.Start);
        var devices = new DeviceRegistry([Sessions.Of(new FakeMeter("grid", _time), _time)]);
        _site = new SiteState(devices, _time);
        _audit = new CommandAuditLog(NullLogger<CommandAuditLog>.Instance);
        _decisions = new DecisionLog(_time);
        _observers = new SiteObservers(_site, _audit, _decisions, _time);
        _gate = new CommandGate(devices, _time, _audit);
    }

    private DeviceReading Reading(double watts) => new() { Timestamp = _time.GetUtcNow(), Meter = new MeterReading(watts) };

    [Test]
    public async Task An_observer_sees_readings_with_their_series_names_health_changes_decisions_and_commands_in_order()
    {
        var seen = new Recorder(expected: 4);
        using var _ = _observers.Subscribe("recorder", seen, NullLogger.Instance);

        _site.RecordSuccess("grid", Reading(-1234));
        _decisions.For("Guard").Record(new Limiting(40));
        await _gate.For("Guard").SendAsync(new SetActivePowerLimit("nowhere", 40, "test"), CancellationToken.None);

        await seen.All.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(seen.Observations.Select(o => o.GetType().Name),
            Is.EqualTo(new[] { nameof(HealthObserved), nameof(ReadingObserved), nameof(DecisionObserved), nameof(CommandObserved) }).Or
              .EqualTo(new[] { nameof(ReadingObserved), nameof(HealthObserved), nameof(DecisionObserved), nameof(CommandObserved) }));
        var reading = seen.Observations.OfType<ReadingObserved>().Single();
        Assert.That(reading.Values.Single(v => v.Name == "Meter.PowerW"), Is.EqualTo(new SeriesValue("Meter.PowerW", -1234, "W")));
        Assert.That(seen.Observations.OfType<CommandObserved>().Single().Result.Status, Is.EqualTo(CommandStatus.UnknownDevice));
    }

    [Test]
    public async Task A_blocked_observer_delays_no_reading_and_no_tick_and_what_overflows_its_queue_is_counted_as_dropped()
    {
        using var release = new ManualResetEventSlim();
        var blocked = new Blocking(release);
        using var subscription = _observers.Subscribe("slow", blocked, NullLogger.Instance);
        var service = new TickCounter();
        var runner = new ServiceRunner(new ServiceConfig("Guard", new ServiceRegistration("Guard", typeof(ServiceOptions), "test", (_, _) => service), new ServiceOptions()),
            new ServiceContext("Guard", NullLogger.Instance, _time, new EmptyServices()), _site, _gate, new ServiceStatusBoard());

        // Every reading returns to the poller at once, though the observer has not returned from the first.
        const int readings = SiteObservers.QueueCapacity + 200;
        for (var i = 0; i < readings; i++)
        {
            _site.RecordSuccess("grid", Reading(i));
        }
        await blocked.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(await runner.TickAsync(CancellationToken.None), Is.True);
        Assert.That(service.Ticks, Is.EqualTo(1), "the tick ran while the observer was stuck");

        var stats = _observers.Stats().Single();
        // One observation is in the observer's hands, the queue holds its capacity (the health change took one place).
        Assert.That(stats.Dropped, Is.InRange(readings + 1 - SiteObservers.QueueCapacity - 1, readings + 1 - SiteObservers.QueueCapacity));
        Assert.That(stats.Delivered, Is.Zero);

        release.Set();
        var delivered = readings + 1 - stats.Dropped;
        await Eventually.Until(() => _observers.Stats().Single().Delivered == delivered, $"{delivered} delivered once released");
        Assert.That(_observers.Stats().Single().Dropped, Is.EqualTo(stats.Dropped), "nothing more dropped");
    }

    [Test]
    public async Task An_observer_that_throws_is_counted_and_keeps_receiving()
    {
        var flaky = new Recorder(expected: 3) { ThrowOnFirst = true };
        using var _ = _observers.Subscribe("flaky", flaky, NullLogger.Instance);

        _site.RecordSuccess("grid", Reading(1));
        _site.RecordSuccess("grid", Reading(2));

        await flaky.All.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.Until(() => _observers.Stats().Single() is { Failed: 1, Delivered: 2 }, "one failed, two delivered");
    }

    [Test]
    public async Task A_service_that_is_an_observer_is_subscribed_while_it_runs()
    {
        var service = new TickCounter();
        var runner = new ServiceRunner(new ServiceConfig("Exporter", new ServiceRegistration("Exporter", typeof(ServiceOptions), "test", (_, _) => service), new ServiceOptions()),
            new ServiceContext("Exporter", NullLogger.Instance, _time, new EmptyServices()), _site, _gate, new ServiceStatusBoard(), observers: _observers);

        await runner.TickAsync(CancellationToken.None);
        _site.RecordSuccess("grid", Reading(1));
        await Eventually.Until(() => service.Observed >= 2, "the service saw the health change and the reading");
        await runner.ShutdownAsync(CancellationToken.None);

        Assert.That(_observers.Stats(), Is.Empty, "unsubscribed once stopped");
    }

    [Test]
    public void An_unsubscribed_observer_receives_nothing_more()
    {
        var seen = new Recorder(expected: 1);
        _observers.Subscribe("gone", seen, NullLogger.Instance).Dispose();

        _site.RecordSuccess("grid", Reading(1));

        Assert.That(_observers.Stats(), Is.Empty);
        Assert.That(seen.Observations, Is.Empty);
    }

    private sealed class Recorder(int expected) : ISiteObserver
    {
        public List<SiteObservation> Observations { get; } = [];
        public TaskCompletionSource All { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool ThrowOnFirst { get; init; }

        public ValueTask ObserveAsync(SiteObservation observation, CancellationToken cancellationToken)
        {
            lock (Observations)
            {
                Observations.Add(observation);
                if (Observations.Count >= expected)
                {
                    All.TrySetResult();
                }
                if (ThrowOnFirst && Observations.Count == 1)
                {
                    throw new InvalidOperationException("first one fails");
                }
            }
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Blocking(ManualResetEventSlim release) : ISiteObserver
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask ObserveAsync(SiteObservation observation, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            release.Wait(cancellationToken);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class TickCounter : IService, ISiteObserver
    {
        public int Ticks;
        public int Observed;
        public ValueTask ObserveAsync(SiteObservation observation, CancellationToken cancellationToken) { Interlocked.Increment(ref Observed); return ValueTask.CompletedTask; }
        public string Name => "Guard";
        public Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken) { Interlocked.Increment(ref Ticks); return Task.CompletedTask; }
        public Task StopAsync(ServiceTick tick, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private sealed record Limiting(double LimitPct) : EnergyHub.Services.Decision
    {
        public override string Name => "limiting";
    }
}
