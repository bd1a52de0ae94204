using EnergyHub.Protocols;
using EnergyHub.Commands;
using EnergyHub.Core.Commands;
using EnergyHub.Core.Config;
using EnergyHub.Core.Devices;
using EnergyHub.Plugins;
using EnergyHub.Services;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Scheduling;

/// <summary>
/// Runs one service: a tick every <see cref="Options.ServiceOptions.Interval"/> (ticks missed while one overran are
/// skipped, never run late in a burst). Service code runs on the thread pool, never on the runner's thread, and a tick or
/// stop that outlives its time is waited for before the next call into the same instance. A tick that throws or times out marks the service failed, restores its safe state, and after a capped
/// exponential backoff a fresh instance is built from the factory. Other services are not affected.
/// </summary>
public sealed class ServiceRunner(
    ServiceConfig config,
    ServiceContext context,
    SiteState site,
    CommandGate commands,
    ServiceStatusBoard board,
    IDecisionLog? decisions = null,
    Events.SiteObservers? observers = null,
    Metrics.SiteMetrics? metrics = null,
    ServiceSettingsStore? settings = null)
{
    /// <summary>The longest wait before a failed service is restarted (or its interval, when longer).</summary>
    public static readonly TimeSpan MaxRestartBackoff = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time = context.Time;
    private readonly ILogger _logger = context.Logger;
    private IService? _instance;
    private IDisposable? _observing;

    // The instance's last call (a tick or a stop) as it really runs, which may outlive its timeout: the next call into
    // the instance waits for it, so a tick and a stop never run side by side.
    private Task _busy = Task.CompletedTask;
    private ServiceStatus _status = new(config.Name, ServiceState.Starting, null, 0, 0, 0, null, null);

    private volatile bool _waiting;

    public string Name => config.Name;

    /// <summary>The service's options: its interval, and whether and where it runs in the site cycle.</summary>
    public Options.ServiceOptions Options => config.Options;

    /// <summary>When a failed service is due to be built again; null while it runs.</summary>
    public DateTimeOffset? RestartAt => _status.State == ServiceState.Failed ? _status.RestartAt : null;

    /// <summary>True while the loop waits for its next tick or restart (nothing of the service runs): what a test on a manual clock waits for.</summary>
    public bool IsWaiting => _waiting;

    /// <summary>Whether the service stands in for hardware and so is stopped after the others (see <see cref="IService.StandsInForHardware"/>).</summary>
    public bool StandsInForHardware => _instance?.StandsInForHardware ?? false;

    public async Task RunAsync(CancellationToken stopping)
    {
        Publish(_status);
        var interval = config.Options.Interval;
        var due = _time.GetUtcNow();
        while (!stopping.IsCancellationRequested)
        {
            TimeSpan wait;
            if (await TickAsync(stopping).ConfigureAwait(false))
            {
                // The next tick is one interval after the last one was due; ticks missed by an overrun are skipped.
                var now = _time.GetUtcNow();
                do
                {
                    due += interval;
                }
                while (due <= now);
                wait = due - now;
            }
            else
            {
                due = _status.RestartAt ?? _time.GetUtcNow();
                wait = due - _time.GetUtcNow();
            }
            try
            {
                _waiting = true;
                // On a fast clock (replays, Speed) the restart time can be past by now: then at once.
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                _waiting = false;
            }
        }
    }

    /// <summary>
    /// Ticks run on the caller's thread with no timeout: for a replay on a virtual clock, which cannot move while a tick
    /// runs, so no timeout could fire.
    /// </summary>
    public bool TicksInline { get; init; }

    /// <summary>
    /// Builds the instance now rather than on the first tick; true when it stands in for hardware. A factory that throws
    /// is left to the first tick, which reports it as a failure.
    /// </summary>
    public bool PrepareStandIn()
    {
        try
        {
            return Instance().StandsInForHardware;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// Runs one tick on <paramref name="snapshot"/> (the site cycle's shared one) or a fresh snapshot; false when it failed
    /// (the safe state has then been restored and <see cref="RestartAt"/> set after a capped exponential backoff).
    /// </summary>
    public async Task<bool> TickAsync(CancellationToken stopping, EnergyHub.Site.SiteSnapshot? snapshot = null)
    {
        try
        {
            var instance = Instance();
            var started = _time.GetTimestamp();
            if (TicksInline)
            {
                await instance.ExecuteAsync(Tick(snapshot), stopping).ConfigureAwait(false);
            }
            else
            {
                using var timeout = new CancellationTokenSource(config.Options.Timeout, Time.TimeoutClock.For(_time));
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
                var (tick, token) = (Tick(snapshot), linked.Token);
                _busy = Task.Run(() => instance.ExecuteAsync(tick, token), CancellationToken.None);
                await _busy.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            var duration = _time.GetElapsedTime(started);
            metrics?.ObserveTick(Name, duration);
            Publish(_status with
            {
                State = ServiceState.Running, LastTickAt = _time.GetUtcNow(), Ticks = _status.Ticks + 1, LastDuration = duration,
                ConsecutiveFailures = 0, LastError = null, RestartAt = null,
            });
            return true;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return true;
        }
        catch (Exception ex)
        {
            var error = ex is OperationCanceledException
                ? $"tick took longer than its timeout of {Durations.Format(config.Options.Timeout)}"
                : $"{ex.GetType().Name}: {ex.Message}";
            Publish(_status with
            {
                State = ServiceState.Failed, LastTickAt = _time.GetUtcNow(), ConsecutiveFailures = _status.ConsecutiveFailures + 1,
                TotalFailures = _status.TotalFailures + 1, LastError = error,
            });
            _logger.LogError(ex, "Service {Service} failed ({Failures} in a row): {Error}", Name, _status.ConsecutiveFailures, error);
            await RestoreSafeStateAsync(stopping).ConfigureAwait(false);
            Discard();
            var wait = Backoff.Delay(config.Options.Interval, _status.ConsecutiveFailures, MaxRestartBackoff);
            Publish(_status with { RestartAt = _time.GetUtcNow() + wait });
            _logger.LogWarning("Service {Service} restarts in {Delay}", Name, Durations.Format(wait));
            return false;
        }
    }

    /// <summary>Asks the current instance to put what it controls back into its safe state, once; true when it did.</summary>
    public Task<bool> RestoreSafeStateAsync(CancellationToken cancellationToken) => TryRestoreAsync(1, cancellationToken);

    /// <summary>
    /// Restores the safe state, retrying every <see cref="SafeStateRetry.Delay"/> until it is confirmed or
    /// <paramref name="cancellationToken"/> (the shutdown budget) ends, and marks the service stopped; called once on
    /// shutdown. False when the safe state was never confirmed.
    /// </summary>
    public async Task<bool> ShutdownAsync(CancellationToken cancellationToken)
    {
        var (confirmed, attempts) = await SafeStateRetry.UntilConfirmedAsync(attempt => TryRestoreAsync(attempt, cancellationToken), _time, cancellationToken)
            .ConfigureAwait(false);
        if (!confirmed && _instance is { StandsInForHardware: true })
        {
            // An emulator has no safe state of its own: what it stands in for is simulated, so a slow stop loses nothing.
            _logger.LogWarning("Service {Service} (an emulator) did not stop within the shutdown budget", Name);
            confirmed = true;
        }
        else if (!confirmed)
        {
            _logger.LogError("Service {Service} did NOT restore its safe state ({Attempts} attempt(s) within the shutdown budget): " +
                "check its devices now; `energyhub safe-state --config FILE` tries again", Name, attempts);
        }
        Publish(_status with { State = ServiceState.Stopped, RestartAt = null, LastError = confirmed ? _status.LastError : "safe state not confirmed" });
        _observing?.Dispose();
        return confirmed;
    }

    // The instance, built on first need; one that is also an observer is subscribed for as long as it is used.
    private IService Instance()
    {
        if (_instance is null)
        {
            _instance = config.Registration.Create(config.Options, context);
            settings?.Attach(Name, _instance);
            board.Attach(Name, _instance);
            if (_instance is EnergyHub.Observers.ISiteObserver observer && observers is not null)
            {
                _observing = observers.Subscribe(Name, observer, _logger);
            }
        }
        return _instance;
    }

    private void Discard()
    {
        _observing?.Dispose();
        (_observing, _instance) = (null, null);
    }

    /// <summary>How long a stop waits quietly for a tick in progress (real time) before it says the service is busy.</summary>
    public static readonly TimeSpan BusyGrace = TimeSpan.FromSeconds(2);

    // Only the first failure is logged, so a hung device gives one line, not one per retry.
    private async Task<bool> TryRestoreAsync(int attempt, CancellationToken cancellationToken)
    {
        if (_instance is null)
        {
            return true;
        }
        if (!_busy.IsCompleted)
        {
            // A stop in the middle of an ordinary tick waits for it quietly; only a call still busy after the grace is said.
            try
            {
                await _busy.WaitAsync(BusyGrace, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception)
            {
                // Still busy (TimeoutException), or it ended in a failure that was reported where it happened.
            }
            if (attempt == 1 && !_busy.IsCompleted)
            {
                _logger.LogWarning("Service {Service} is still inside its last call; its safe state is restored as soon as that returns", Name);
            }
            try
            {
                await _busy.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception)
            {
                // How the last call ended was reported when it timed out or failed.
            }
        }
        try
        {
            var (instance, tick) = (_instance, Tick());
            _busy = Task.Run(() => instance.StopAsync(tick, cancellationToken), CancellationToken.None);
            await _busy.WaitAsync(cancellationToken).ConfigureAwait(false);
            _logger.LogInformation(instance.StandsInForHardware ? "Service {Service} stopped{Attempt}" : "Service {Service} restored its safe state{Attempt}",
                Name, attempt > 1 ? $" (attempt {attempt})" : "");
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex)
        {
            if (attempt == 1)
            {
                _logger.LogError(ex is SafeStateNotConfirmedException ? null : ex,
                    _instance is { StandsInForHardware: true } ? "Service {Service} could not stop: {Error}" : "Service {Service} could not restore its safe state: {Error}", Name, ex.Message);
            }
            return false;
        }
    }

    private readonly ICommandGate _commands = commands.For(config.Name);

    private ServiceTick Tick(EnergyHub.Site.SiteSnapshot? snapshot = null)
    {
        var tick = new ServiceTick(snapshot?.Now ?? _time.GetUtcNow(), snapshot ?? site.Snapshot(), _commands) { Plans = site.Plans };
        return decisions is null ? tick : tick with { Decisions = decisions };
    }

    private void Publish(ServiceStatus status)
    {
        _status = status;
        board.Set(status);
    }
}
