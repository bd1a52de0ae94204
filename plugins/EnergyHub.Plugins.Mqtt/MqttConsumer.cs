using System.Text;
using EnergyHub.Devices;
using EnergyHub.Protocols.Consumers;
using EnergyHub.Protocols.Mqtt;
using EnergyHub.Readings;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>
/// A plug or relay on the site's broker (es-ESS's no-code MQTT consumer) as a switch: its status and power topics are
/// subscribed on the first read. A status is published on change (and kept retained by most devices), so it holds
/// while the broker connection does: the reading is fresh while connected, and ages (turns Stale) while it is not. A
/// switch publishes OnValue or OffValue (QoS 1) and is confirmed only by a status that says so within ConfirmWithin.
/// </summary>
public sealed class MqttConsumer(MqttConsumerOptions options, DeviceContext context) : IMeter, ISwitch
{
    private readonly Lock _gate = new();
    private Task? _subscribed;
    private (bool On, DateTimeOffset At)? _status;
    private double? _powerW;
    private TaskCompletionSource _statusArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _powerWarned;

    /// <inheritdoc />
    public string Id => context.Id;

    /// <inheritdoc />
    /// <remarks>What it draws, + consumed: one sub-circuit of the house.</remarks>
    public MeterRole Role => MeterRole.Load;

    /// <inheritdoc />
    public string DisplayName => options.DisplayName ?? $"MQTT consumer on {options.StatusTopic}";

    private MqttBus Bus => MqttSite.From(context.Shared, $"[Device:{Id}]").Bus;

    /// <inheritdoc />
    public async ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken)
    {
        await SubscribedAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_status is not { } status)
            {
                throw new IOException($"{Id}: no status on {options.StatusTopic} yet; does the device publish its state there?");
            }
            var power = options.PowerTopic.Length > 0 ? _powerW ?? 0 : status.On ? options.OnPowerW ?? 0 : 0;
            if (Bus.IsConnected)
            {
                _status = status with { At = context.Time.GetUtcNow() };
            }
            return new DeviceReading { Timestamp = _status.Value.At, Meter = new MeterReading(power), Consumer = new ConsumerReading(power, status.On) };
        }
    }

    /// <inheritdoc />
    public async Task SetSwitchAsync(bool on, CancellationToken cancellationToken)
    {
        await SubscribedAsync(cancellationToken).ConfigureAwait(false);
        using var confirm = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        confirm.CancelAfter(options.ConfirmWithin);
        Task arrived;
        lock (_gate)
        {
            _statusArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            arrived = _statusArrived.Task;
        }
        var (topic, value) = on ? (options.OnTopic, options.OnValue) : (options.OffTopic, options.OffValue);
        if (!await Bus.PublishAsync(new MqttMessage(topic, Encoding.UTF8.GetBytes(value), MqttQos.AtLeastOnce), cancellationToken).ConfigureAwait(false))
        {
            throw new IOException($"{Id}: could not publish {value} to {topic}: is the broker reachable?");
        }
        try
        {
            while (true)
            {
                await arrived.WaitAsync(confirm.Token).ConfigureAwait(false);
                lock (_gate)
                {
                    if (_status?.On == on)
                    {
                        return;
                    }
                    _statusArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    arrived = _statusArrived.Task;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"{Id}: published {value} to {topic}, but no status on {options.StatusTopic} said {(on ? "on" : "off")} within {options.ConfirmWithin.TotalSeconds:0.#} s; check the topics, the values and OnKeywordRegex");
        }
    }

    private Task SubscribedAsync(CancellationToken cancellationToken)
    {
        if (_subscribed is { IsFaulted: true } or { IsCanceled: true })
        {
            _subscribed = null; // refused or dropped: subscribe again
        }
        _subscribed ??= Task.WhenAll(new[] { options.StatusTopic, options.PowerTopic }.Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)
            .Select(topic => Bus.SubscribeAsync(topic, OnMessage, CancellationToken.None)));
        return _subscribed.WaitAsync(cancellationToken);
    }

    private Task OnMessage(MqttMessage message)
    {
        lock (_gate)
        {
            if (message.Topic == options.StatusTopic)
            {
                _status = (NoCodeConsumerText.IsOn(message.Text, options.OnRegex), context.Time.GetUtcNow());
                _statusArrived.TrySetResult();
            }
            if (message.Topic == options.PowerTopic)
            {
                try
                {
                    _powerW = NoCodeConsumerText.Power(message.Text, options.PowerRegex!);
                    _powerWarned = false;
                }
                catch (FormatException ex) when (!_powerWarned)
                {
                    _powerWarned = true;
                    context.Logger.LogWarning("{Problem}; the last good power is kept", ex.Message);
                }
                catch (FormatException)
                {
                }
            }
        }
        return Task.CompletedTask;
    }
}
