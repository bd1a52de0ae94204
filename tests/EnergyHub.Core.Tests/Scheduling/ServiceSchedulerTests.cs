using EnergyHub.TestSupport;
using Microsoft.Extensions.Logging;
using EnergyHub.Time;
using EnergyHub.Commands;
using EnergyHub.Core.Commands;
using EnergyHub.Core.Config;
using EnergyHub.Core.Devices;
using EnergyHub.Core.Plugins;
using EnergyHub.Core.Scheduling;
using EnergyHub.Core.Tests.Support;
using EnergyHub.Options;
using EnergyHub.Plugins;
using EnergyHub.Services;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests.Scheduling;

public sealed class ServiceSchedulerTests
{
    private ManualTimeProvider _time = null!;
    private SiteState _site = null!;
    private CommandGate _gate = null!;
    private CommandAuditLog _audit = null!;
    private ServiceStatusBoard _board = null!;
    private readonly List<ScriptedService> _instances = [];

    [SetUp]
    public void Build()
    {
        _time = new ManualTimeProvider(Sessions.Start);
        var devices = new DeviceRegistry([]);
        _site = new SiteState(devices, _time);
        _audit = new CommandAuditLog(NullLogger<CommandAuditLog>.Instance);
        _gate = new CommandGate(devices, _time, _audit);
        _board = new ServiceStatusBoard();
        _instances.Clear();
    }

    private ServiceRunner Runner(string name, Func<ServiceTick, Task> tick, TimeSpan? timeout = null, bool standsInForHardware = false, List<string>? stopOrder = null,
        Func<int, Task>? stop = null, int? cyclePriority = null, ILogger? logger = null)
    {
        var options = new ServiceOptions
        {
            Interval = TimeSpan.FromSeconds(5), Timeout = timeout ?? TimeSpan.FromSeconds(30), SiteCycle = cyclePriority is not null, Priority = cyclePriority ?? 100,
        };
        var registration = new ServiceRegistration(name, typeof(ServiceOptions), "test", (_, _) =>
        {
            var instance = new ScriptedService(name, tick, standsInForHardware, stopOrder, stop);
            _instances.Add(instance);
            return instance;
        });
        return new ServiceRunner(new ServiceConfig(name, registration, options),
            new ServiceContext(name, logger ?? NullLogger.Instance, _time, new NullServices()), _site, _gate, _board);
    }

    private sealed class NullServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    // A clock that jumps while the runner logs its restart, as a fast replay clock (Speed = 2000) moves between two reads.
    private sealed class ClockJumpingLogger(ManualTimeProvider time, TimeSpan jump) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (formatter(state, exception).Contains("restarts in", StringComparison.Ordinal))
            {
                time.Advance(jump);
            }
        }
    }

    [Test]
    public async Task A_restart_whose_time_has_already_passed_happens_at_once_instead_of_failing_the_loop()
    {
        var attempts = 0;
        var runner = Runner("Thrower", _ => { Interlocked.Increment(ref attempts); throw new InvalidOperationException("broken"); },
            logger: new ClockJumpingLogger(_time, TimeSpan.FromMinutes(1)));
        using var stop = new CancellationTokenSource();
        var loop = runner.RunAsync(stop.Token);

        await Eventually.Until(() => Volatile.Read(ref attempts) >= 3, "restarted at once, more than once, with no clock advanced by the test");
        await stop.CancelAsync();
        Assert.That(async () => await loop, Throws.Nothing, "Task.Delay was given a negative wait and threw before");
    }

    [Test]
    public async Task A_service_that_throws_every_tick_does_not_stop_another_from_ticking()
    {
        var healthyTicks = 0;
        ServiceRunner[] runners =
        [
            Runner("Thrower", _ => throw new InvalidOperationException("broken")),
            Runner("Healthy", _ => { Interlocked.Increment(ref healthyTicks); return Task.CompletedTask; }),
        ];
        var scheduler = new ServiceScheduler(runners, NullLogger<ServiceScheduler>.Instance);

        await scheduler.StartAsync(CancellationToken.None);
        // Parked: the healthy loop waits for its next tick, the thrower on its restart delay.
        bool Parked(int ticks) => healthyTicks == ticks && runners.All(r => r.IsWaiting) && _time.ArmedTimers == 2
            && _board.All() is { Count: 2 } && _board.Get("Thrower").RestartAt > _time.GetUtcNow();
        await Eventually.Until(() => Parked(1), "both ran once");
        for (var second = 1; second <= 60; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var expected = 1 + second / 5;
            await Eventually.Until(() => Parked(expected), $"healthy tick {expected} at {second} s");
        }

        var thrower = _board.Get("Thrower");
        Assert.Multiple(() =>
        {
            Assert.That(healthyTicks, Is.EqualTo(13), "one tick at start, then one per 5 s for 60 s");
            Assert.That(_board.Get("Healthy").State, Is.EqualTo(ServiceState.Running));
            Assert.That(thrower.State, Is.EqualTo(ServiceState.Failed));
            Assert.That(thrower.LastError, Is.EqualTo("InvalidOperationException: broken"));
            // Restarts after 5, 10, 20 s of backoff: failures at t = 0, 5, 15, 35 s; the next is due at 75 s.
            Assert.That(thrower.TotalFailures, Is.EqualTo(4));
            Assert.That(thrower.RestartAt, Is.EqualTo(Sessions.Start + TimeSpan.FromSeconds(75)));
        });
        var throwers = _instances.Where(i => i.Name == "Thrower").ToList();
        Assert.That(throwers, Has.Count.EqualTo(4), "each restart builds a fresh instance");
        Assert.That(throwers.All(t => t.Stops == 1), Is.True, "each failed instance restored its safe state");

        await scheduler.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task Site_cycle_services_tick_in_priority_order_on_one_snapshot_and_a_failing_one_sits_out_until_its_restart()
    {
        var seen = new List<(string Service, EnergyHub.Site.SiteSnapshot Site, DateTimeOffset Now)>();
        Task Record(string name, ServiceTick tick)
        {
            lock (seen)
            {
                seen.Add((name, tick.Site, tick.Now));
            }
            return Task.CompletedTask;
        }
        var failing = true;
        ServiceRunner[] runners =
        [
            Runner("Surplus", tick => Record("Surplus", tick), cyclePriority: 20),
            Runner("Guard", tick => Record("Guard", tick), cyclePriority: 10),
            Runner("Flaky", tick => failing ? throw new InvalidOperationException("not yet") : Record("Flaky", tick), cyclePriority: 15),
        ];
        var scheduler = new ServiceScheduler(runners, NullLogger<ServiceScheduler>.Instance, new SiteCycleSettings(_site, TimeSpan.FromSeconds(2), _time));

        await scheduler.StartAsync(CancellationToken.None);
        await Eventually.Until(() => scheduler.Cycle is { IsWaiting: true } && seen.Count == 2, "the first cycle ran");
        for (var cycle = 1; cycle <= 3; cycle++)
        {
            failing = cycle < 3;
            _time.Advance(TimeSpan.FromSeconds(2));
            var expected = 2 + 2 * cycle + (cycle == 3 ? 1 : 0);
            await Eventually.Until(() => scheduler.Cycle!.IsWaiting && seen.Count == expected, $"cycle {cycle} ran");
        }
        await scheduler.StopAsync(CancellationToken.None);

        Assert.That(scheduler.Cycle!.Members.Select(m => m.Name), Is.EqualTo(new[] { "Guard", "Flaky", "Surplus" }));
        var cycles = seen.GroupBy(s => s.Now).ToList();
        Assert.That(cycles.Select(c => string.Join(",", c.Select(s => s.Service))), Is.EqualTo(new[] { "Guard,Surplus", "Guard,Surplus", "Guard,Surplus", "Guard,Flaky,Surplus" }),
            "Flaky failed at 0 s, restarts after 5 s of backoff: it sits out the cycles at 2 and 4 s and joins at 6 s");
        Assert.That(cycles.All(c => c.Select(s => s.Site).Distinct().Count() == 1), Is.True, "the members of a cycle see one snapshot");
        Assert.That(_board.Get("Flaky").TotalFailures, Is.EqualTo(1));
    }

    [Test]
    public async Task Stopping_restores_every_services_safe_state()
    {
        var scheduler = new ServiceScheduler(
        [
            Runner("A", _ => Task.CompletedTask),
            Runner("B", _ => Task.CompletedTask),
        ], NullLogger<ServiceScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);
        await Eventually.Until(() => _board.All() is { Count: 2 } all && all.All(s => s.State == ServiceState.Running), "both ran");

        await scheduler.StopAsync(CancellationToken.None);

        Assert.That(_instances.Select(i => i.Stops), Is.EqualTo(new[] { 1, 1 }));
        Assert.That(_board.All().Select(s => s.State), Is.All.EqualTo(ServiceState.Stopped));
    }

    [Test]
    public async Task Services_that_stand_in_for_hardware_stop_after_the_others()
    {
        var order = new List<string>();
        var scheduler = new ServiceScheduler(
        [
            Runner("Emulator", _ => Task.CompletedTask, standsInForHardware: true, stopOrder: order),
            Runner("Guard", _ => Task.CompletedTask, stopOrder: order),
        ], NullLogger<ServiceScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);
        await Eventually.Until(() => _board.All() is { Count: 2 } all && all.All(s => s.State == ServiceState.Running), "both ran");

        await scheduler.StopAsync(CancellationToken.None);

        Assert.That(order, Is.EqualTo(new[] { "Guard", "Emulator" }), "the guard restores its safe state through the emulated device first");
    }

    [Test]
    public async Task A_tick_that_outlives_its_timeout_is_a_failure_and_its_safe_state_waits_until_it_returns()
    {
        var runner = Runner("Slow", tick => Task.Delay(TimeSpan.FromMinutes(1), _time), timeout: TimeSpan.FromSeconds(2));
        var tick = runner.TickAsync(CancellationToken.None);
        await Eventually.Until(() => _time.ArmedTimers == 2, "the tick and its timeout are waiting");
        _time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.Until(() => _board.Get("Slow").State == ServiceState.Failed, "the timeout is a failure");

        Assert.That(_board.Get("Slow").LastError, Is.EqualTo("tick took longer than its timeout of 2s"));
        Assert.That(tick.IsCompleted, Is.False, "the runner waits for the tick that is still running");
        Assert.That(_instances.Single().Stops, Is.Zero, "no stop beside a running tick");

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await tick, Is.False);
        Assert.That(_instances.Single().Stops, Is.EqualTo(1), "the safe state once the tick has returned");
    }

    [Test]
    public async Task A_service_that_blocks_its_thread_in_a_tick_holds_up_nobody()
    {
        using var block = new ManualResetEventSlim();
        var runner = Runner("Blocking", _ =>
        {
            block.Wait(CancellationToken.None);
            return Task.CompletedTask;
        }, timeout: TimeSpan.FromSeconds(2));
        var returned = new TaskCompletionSource<Task<bool>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var caller = new Thread(() => returned.SetResult(runner.TickAsync(CancellationToken.None))) { IsBackground = true };
        caller.Start();

        var tick = await returned.Task.WaitAsync(TimeSpan.FromSeconds(10)); // throws if the runner's thread is held by the service
        await Eventually.Until(() => _time.ArmedTimers == 1, "the tick's timeout is armed");
        _time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.Until(() => _board.Get("Blocking").State == ServiceState.Failed, "the timeout is a failure");
        block.Set();

        Assert.That(await tick, Is.False);
        Assert.That(_instances.Single().Stops, Is.EqualTo(1));
    }

    [Test]
    public async Task The_tick_sees_the_clock_and_the_site()
    {
        ServiceTick? seen = null;
        var runner = Runner("Look", tick => { seen = tick; return Task.CompletedTask; });
        Assert.That(await runner.TickAsync(CancellationToken.None), Is.True);
        Assert.That(seen!.Now, Is.EqualTo(Sessions.Start));
        Assert.That(seen.Site.Devices, Is.Empty);
        CommandAuditEntry? audited = null;
        _audit.Recorded += entry => audited = entry;
        await seen.Commands.SendAsync(new SetActivePowerLimit("roof", 50, "probe"), CancellationToken.None);
        Assert.That(audited!.Request.Source, Is.EqualTo("Look"), "the gate a service gets stamps the service as the source");
    }

    private static Task Unconfirmed(int _) => Task.FromException(new SafeStateNotConfirmedException("inverter 'roof' did not confirm the 100 % limit: Failed"));

    [Test]
    public async Task A_safe_state_the_device_does_not_confirm_is_retried_until_it_is()
    {
        var scheduler = new ServiceScheduler([Runner("Guard", _ => Task.CompletedTask, stop: n => n < 3 ? Unconfirmed(n) : Task.CompletedTask)],
            NullLogger<ServiceScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);
        await Eventually.Until(() => _board.All() is [{ State: ServiceState.Running }], "it ran");

        var stopping = scheduler.StopAsync(CancellationToken.None);
        for (var retry = 1; retry <= 2; retry++)
        {
            await Eventually.Until(() => _instances[0].Stops == retry && _time.ArmedTimers == 1, $"attempt {retry} failed and waits");
            _time.Advance(SafeStateRetry.Delay);
        }
        await stopping;

        Assert.That(_instances[0].Stops, Is.EqualTo(3));
        Assert.That(scheduler.SafeStatesConfirmed, Is.True);
    }

    [Test]
    public async Task A_safe_state_never_confirmed_within_the_budget_is_reported_not_called_success()
    {
        var scheduler = new ServiceScheduler([Runner("Guard", _ => Task.CompletedTask, stop: Unconfirmed)], NullLogger<ServiceScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);
        await Eventually.Until(() => _board.All() is [{ State: ServiceState.Running }], "it ran");
        using var budget = new CancellationTokenSource();

        var stopping = scheduler.StopAsync(budget.Token);
        await Eventually.Until(() => _instances[0].Stops == 1 && _time.ArmedTimers == 1, "the first attempt failed");
        _time.Advance(SafeStateRetry.Delay);
        await Eventually.Until(() => _instances[0].Stops == 2 && _time.ArmedTimers == 1, "the retry failed too");
        await budget.CancelAsync();
        await stopping;

        Assert.That(scheduler.SafeStatesConfirmed, Is.False, "the process must exit non-zero");
        Assert.That(_board.Get("Guard").LastError, Is.EqualTo("safe state not confirmed"));
    }

    [Test]
    public async Task An_emulator_that_does_not_stop_in_time_is_not_reported_as_a_device_left_unsafe()
    {
        var logger = new ListLogger<ServiceRunner>();
        var hung = new TaskCompletionSource();
        var scheduler = new ServiceScheduler([Runner("GoEEmulator", _ => Task.CompletedTask, standsInForHardware: true, stop: _ => hung.Task, logger: logger)],
            NullLogger<ServiceScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);
        await Eventually.Until(() => _board.All() is [{ State: ServiceState.Running }], "it ran");
        using var budget = new CancellationTokenSource();

        var stopping = scheduler.StopAsync(budget.Token);
        await Eventually.Until(() => _instances[0].Stops == 1, "asked to stop");
        await budget.CancelAsync();
        await stopping;

        Assert.That(scheduler.SafeStatesConfirmed, Is.True, "an emulator has no safe state to leave unconfirmed");
        Assert.That(logger.Lines.Select(l => l.Text), Has.Some.EqualTo("Service GoEEmulator (an emulator) did not stop within the shutdown budget"));
        Assert.That(logger.Lines.Where(l => l.Level >= LogLevel.Error), Is.Empty);
        hung.SetResult();
    }
}
