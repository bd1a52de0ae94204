using Microsoft.Extensions.Hosting;

namespace EnergyHub.Core.Scheduling;

/// <summary>
/// Starts the services that stand in for hardware (emulators, <see cref="Services.IService.StandsInForHardware"/>) with a
/// first tick before the devices are first read, so the real drivers find their emulated device answering from the start.
/// A hosted service registered before the pollers; the <see cref="ServiceScheduler"/> keeps ticking them and stops them
/// after every other service. Verbs that run no scheduler (devices, prices) start and stop them here.
/// </summary>
public sealed class HardwareStandIns(IEnumerable<ServiceRunner> runners) : IHostedService
{
    private readonly List<ServiceRunner> _standIns = [];

    /// <summary>Builds every service and ticks those that stand in for hardware once.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var runner in runners.Where(r => r.PrepareStandIn()))
        {
            _standIns.Add(runner);
            await runner.TickAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Nothing: the scheduler stops the stand-ins after the services that restore safe states through them.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops the stand-ins started here, for verbs that run no scheduler.</summary>
    public async Task StopStandInsAsync(CancellationToken cancellationToken)
    {
        foreach (var runner in _standIns)
        {
            await runner.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
