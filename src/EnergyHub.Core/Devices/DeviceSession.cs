using EnergyHub.Devices;
using EnergyHub.Options;

namespace EnergyHub.Core.Devices;

/// <summary>
/// The single owner of one device: every read and every command runs through <see cref="RunAsync{T}"/>, one at a time,
/// each bounded by the device's <see cref="DeviceOptions.Timeout"/>. Driver code runs on the thread pool, never on the
/// caller's thread, so a driver that blocks its thread cannot hold up start-up, the services or a stop; and a call that
/// outlives its timeout keeps the device busy until it really returns.
/// </summary>
public sealed class DeviceSession(IDevice device, string driver, DeviceOptions options, TimeProvider time) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _timeoutClock = Time.TimeoutClock.For(time);

    public IDevice Device { get; } = device;
    public string Driver { get; } = driver;
    public DeviceOptions Options { get; } = options;
    public string Id => Device.Id;
    public string DisplayName => Options.DisplayName ?? Device.DisplayName;

    /// <summary>
    /// Calls run on the caller's thread with no timeout: for a replay on a virtual clock, which cannot move while a call
    /// runs (so no timeout could fire) and whose drivers are simulated in-process.
    /// </summary>
    public bool CallsInline { get; init; }

    /// <summary>Runs <paramref name="operation"/> with exclusive access to the device; throws <see cref="TimeoutException"/> past the timeout.</summary>
    public async Task<T> RunAsync<T>(Func<IDevice, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        if (CallsInline)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await operation(Device, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
        using var timeout = new CancellationTokenSource(Options.Timeout, _timeoutClock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _gate.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"device '{Id}' stayed busy longer than {Options.Timeout.TotalSeconds:0.#} s");
        }
        Task<T> running;
        try
        {
            var token = linked.Token;
            running = Task.Run(() => operation(Device, token), CancellationToken.None);
        }
        catch
        {
            _gate.Release();
            throw;
        }
        try
        {
            return await running.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"device '{Id}' did not answer within {Options.Timeout.TotalSeconds:0.#} s");
        }
        finally
        {
            // A driver that ignores cancellation keeps the device until its call really ends: the next read or command
            // waits (and times out as "busy") rather than running beside it on a link made for one caller.
            if (running.IsCompleted)
            {
                _gate.Release();
            }
            else
            {
                _ = running.ContinueWith(_ => _gate.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Closes the device, giving its driver at most <see cref="DeviceOptions.Timeout"/>; throws
    /// <see cref="TimeoutException"/> when it takes longer (the driver's close then goes on in the background).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var closing = Task.Run(async () =>
        {
            switch (Device)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        });
        try
        {
            await closing.WaitAsync(Options.Timeout, TimeProvider.System).ConfigureAwait(false); // closing is wall-clock work, also in replays
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"device '{Id}' did not close within {Options.Timeout.TotalSeconds:0.#} s");
        }
    }
}
