namespace EnergyHub.Core.Devices;

/// <summary>
/// How a safe state is pursued when the device does not confirm it: tried again every <see cref="Delay"/> until it is
/// confirmed or the budget (<c>cancellationToken</c>) ends. Shared by a service's shutdown and <c>energyhub safe-state</c>.
/// </summary>
public static class SafeStateRetry
{
    /// <summary>The pause between attempts.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="attempt"/> (given its 1-based number) at least once, then until it returns true or the budget ends.</summary>
    public static async Task<(bool Confirmed, int Attempts)> UntilConfirmedAsync(Func<int, Task<bool>> attempt, TimeProvider time, CancellationToken cancellationToken)
    {
        var attempts = 0;
        do
        {
            if (await attempt(++attempts).ConfigureAwait(false))
            {
                return (true, attempts);
            }
            try
            {
                await Task.Delay(Delay, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        while (!cancellationToken.IsCancellationRequested);
        return (false, attempts);
    }
}
