using System.Globalization;
using System.Text.Json;
using EnergyHub.Devices;
using EnergyHub.Protocols.Mqtt;
using EnergyHub.Readings;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>
/// A meter that is pushed its power on a topic of the site's broker, instead of being asked: it subscribes on its first
/// read and answers every read with the newest value (<see cref="PushedReadings"/>), so a device that stops publishing
/// turns Stale by the age of its last message. A payload it cannot read is logged once and skipped.
/// </summary>
public sealed class MqttMeter(MqttMeterOptions options, DeviceContext context) : IMeter
{
    private readonly PushedReadings _pushed = new(context.Id);
    private Task? _subscribed;
    private bool _warned;

    /// <inheritdoc />
    public string Id => context.Id;

    /// <inheritdoc />
    public string DisplayName => $"MQTT meter on {options.Topic}";

    /// <inheritdoc />
    public MeterRole Role => options.Role;

    /// <inheritdoc />
    public async ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken)
    {
        if (_subscribed is { IsFaulted: true } or { IsCanceled: true })
        {
            _subscribed = null; // the broker refused or dropped the subscription: the next read subscribes again
        }
        _subscribed ??= MqttSite.From(context.Shared, $"[Device:{Id}]").Bus.SubscribeAsync(options.Topic, OnMessage, CancellationToken.None);
        await _subscribed.WaitAsync(cancellationToken).ConfigureAwait(false);
        return _pushed.Latest();
    }

    private Task OnMessage(MqttMessage message)
    {
        if (Parse(message.Text, options.ValuePath) is { } value)
        {
            _pushed.Push(new DeviceReading { Timestamp = context.Time.GetUtcNow(), Meter = new MeterReading(Math.Round(value * options.Scale, 6)), RawPayload = message.Text });
            _warned = false;
        }
        else if (!_warned)
        {
            _warned = true;
            context.Logger.LogWarning("{Device}: no number at '{Path}' in the payload on {Topic}: {Payload}; check ValuePath in [Device:{Device}]",
                Id, options.ValuePath, message.Topic, message.Text.Length > 200 ? message.Text[..200] : message.Text, Id);
        }
        return Task.CompletedTask;
    }

    /// <summary>The number at <paramref name="path"/> in <paramref name="payload"/> (or the payload itself when the path is empty), or null.</summary>
    public static double? Parse(string payload, string path)
    {
        if (path.Length == 0)
        {
            return double.TryParse(payload.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) && double.IsFinite(plain) ? plain : null;
        }
        try
        {
            using var document = JsonDocument.Parse(payload);
            var element = document.RootElement;
            foreach (var name in path.Split('.'))
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return null;
                }
            }
            return element.ValueKind switch
            {
                JsonValueKind.Number when element.TryGetDouble(out var number) && double.IsFinite(number) => number,
                JsonValueKind.String when double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var text) && double.IsFinite(text) => text,
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
