using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Devices;

/// <summary>Runs one <see cref="DevicePoller"/> per device for the life of the host, then closes every device.</summary>
public sealed class DevicePollingService(DeviceRegistry devices, SiteState site, TimeProvider time, ILoggerFactory loggers) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var session in devices.Sessions)
        {
            var poller = new DevicePoller(session, site, time, loggers.CreateLogger($"EnergyHub.Device.{session.Id}"));
            _loops.Add(Task.Run(() => poller.RunAsync(_stopping.Token), CancellationToken.None));
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).WaitAsync(cancellationToken).ConfigureAwait(false);
        await devices.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
