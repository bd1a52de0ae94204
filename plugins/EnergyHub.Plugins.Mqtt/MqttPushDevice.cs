using EnergyHub.Devices;
using EnergyHub.Protocols.Mqtt;
using EnergyHub.Readings;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>
/// The base of the generic MQTT devices: they are pushed their values on topics of the site's broker instead of being
/// asked. The topics are subscribed on the first read (again after a refused subscription); the newest value of each
/// is kept, and every message with a value makes a new reading once the first (main) value is known, so a device that
/// stops publishing turns Stale by the age of its last message: set <see cref="Options.DeviceOptions.StaleAfter"/>
/// above the device's publishing period (the default, three poll intervals, suits a device that publishes every few
/// seconds). A payload without a number
/// is logged once per value until a good one arrives.
/// </summary>
public abstract class MqttPushDevice : IDevice
{
    private readonly DeviceContext _context;
    private readonly IReadOnlyList<MqttValue> _values;
    private readonly double?[] _latest;
    private readonly bool[] _warned;
    private readonly PushedReadings _pushed;
    private readonly Lock _gate = new();
    private Task? _subscribed;

    /// <summary>A device whose values come from <paramref name="values"/>; the first is the main one. A value without a topic stays null.</summary>
    protected MqttPushDevice(DeviceContext context, params MqttValue[] values)
    {
        _context = context;
        _values = values;
        _latest = new double?[values.Length];
        _warned = new bool[values.Length];
        _pushed = new PushedReadings(context.Id);
    }

    /// <inheritdoc />
    public string Id => _context.Id;

    /// <inheritdoc />
    public abstract string DisplayName { get; }

    /// <inheritdoc />
    public async ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken)
    {
        if (_subscribed is { IsFaulted: true } or { IsCanceled: true })
        {
            _subscribed = null; // the broker refused or dropped a subscription: the next read subscribes again
        }
        _subscribed ??= SubscribeAsync();
        await _subscribed.WaitAsync(cancellationToken).ConfigureAwait(false);
        return _pushed.Latest();
    }

    /// <summary>The reading made of the newest values, in the order given to the constructor (the main value is never null here).</summary>
    protected abstract DeviceReading Build(DateTimeOffset timestamp, IReadOnlyList<double?> values, string rawPayload);

    private Task SubscribeAsync()
    {
        var bus = MqttSite.From(_context.Shared, $"[Device:{Id}]").Bus;
        return Task.WhenAll(_values.Select(v => v.Topic).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)
            .Select(topic => bus.SubscribeAsync(topic, OnMessage, CancellationToken.None)));
    }

    private Task OnMessage(MqttMessage message)
    {
        lock (_gate)
        {
            var updated = false;
            for (var i = 0; i < _values.Count; i++)
            {
                if (!string.Equals(message.Topic, _values[i].Topic, StringComparison.Ordinal))
                {
                    continue;
                }
                if (_values[i].Read(message.Text) is { } value)
                {
                    _latest[i] = value;
                    _warned[i] = false;
                    updated = true;
                }
                else if (!_warned[i])
                {
                    _warned[i] = true;
                    _context.Logger.LogWarning("{Device}: no number at '{Path}' in the payload on {Topic}: {Payload}; check {Option} and its value path in [Device:{Device}]",
                        Id, _values[i].Path, message.Topic, message.Text.Length > 200 ? message.Text[..200] : message.Text, _values[i].Name, Id);
                }
            }
            if (updated && _latest[0] is not null)
            {
                _pushed.Push(Build(_context.Time.GetUtcNow(), _latest, message.Text));
            }
        }
        return Task.CompletedTask;
    }
}
