using System.Text;
using EnergyHub.Core.Scheduling;
using EnergyHub.Protocols.Mqtt;
using EnergyHub.Services;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Mqtt;

/// <summary>
/// The one place services reach the site's broker: after each tick and stop of a service that offers values
/// (<see cref="IHasPublishedValues"/>), they go out under <c>{prefix}/{Path}</c> at QoS 0. A retained value (state) is sent
/// when its text changes, and again after a reconnect; a figure of the cycle is sent every time. A broker that is away
/// costs dropped messages, never a service's time: values are read on the service's thread and sent after it.
/// </summary>
public sealed class MqttServiceValues(MqttBus bus, string prefix, ServiceStatusBoard board, ILogger<MqttServiceValues> logger) : IHostedService
{
    private readonly Dictionary<string, string> _retained = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _one = new(1, 1);
    private int _connection;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        board.Changed += OnChanged;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Waits for what is being sent: the services' last values after their stop go out before the broker connection closes.</remarks>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        board.Changed -= OnChanged;
        try
        {
            await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
            _one.Release();
        }
        catch (OperationCanceledException)
        {
            // the host's stop timed out: what is still being sent is dropped like any QoS 0 message
        }
    }

    private void OnChanged(ServiceStatus status)
    {
        if (status.State is ServiceState.Running or ServiceState.Stopped && board.Instance(status.Name) is IHasPublishedValues service)
        {
            _ = SendAsync(status.Name, service.Published);
        }
    }

    private async Task SendAsync(string service, IReadOnlyList<PublishedValue> values)
    {
        await _one.WaitAsync().ConfigureAwait(false);
        try
        {
            if (bus.Connections != _connection)
            {
                _connection = bus.Connections;
                _retained.Clear(); // the broker may have lost what it kept
            }
            foreach (var value in values)
            {
                var topic = $"{prefix}/{value.Path}";
                if (value.Retain && _retained.TryGetValue(topic, out var sent) && sent == value.Text)
                {
                    continue;
                }
                var message = new MqttMessage(topic, Encoding.UTF8.GetBytes(value.Text), MqttQos.AtMostOnce, value.Retain);
                if (await bus.PublishAsync(message, CancellationToken.None).ConfigureAwait(false) && value.Retain)
                {
                    _retained[topic] = value.Text;
                }
            }
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Publishing {Service}'s values failed", service);
        }
        finally
        {
            _one.Release();
        }
    }
}
