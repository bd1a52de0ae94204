using EnergyHub.Core.Journal;
using EnergyHub.Protocols.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Fleet;

/// <summary>
/// Subscribes to every site of the fleet on the broker and hands each message to <see cref="FleetState"/>, whose records
/// go to the journal (queued: a slow database never holds the broker's messages back).
/// </summary>
public sealed class FleetMonitor(MqttBus bus, FleetState state, FleetOptions options, SiteJournal? journal, ILogger<FleetMonitor> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var filter in state.Filters)
        {
            await bus.SubscribeAsync(filter, Take, cancellationToken).ConfigureAwait(false);
        }
        logger.LogInformation("Fleet: following the sites below {Prefix}/ on {Broker} ({Filters})", options.Prefix, bus.Broker, string.Join(", ", state.Filters));
    }

    private Task Take(MqttMessage message)
    {
        foreach (var record in state.Take(message.Topic, message.Payload.Span))
        {
            journal?.Add(record);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
