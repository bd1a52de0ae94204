using System.Globalization;
using System.Text;
using EnergyHub.Devices;
using EnergyHub.Protocols.Mqtt;
using EnergyHub.Readings;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>
/// An es-ESS consumer script as a consumer: its fields (<see cref="ScriptedConsumerFields"/>) arrive on
/// <c>{prefix}/{TopicName}/Requests/{Key}/+</c>, subscribed on the first read; its profile is what it last asked for; an
/// allowance goes to <c>…/Requests/{Key}/Allowance</c> (QoS 1) with the time on <c>…/Requests/{Key}</c>, as es-ESS sent
/// them, and again at every read while it holds, as es-ESS told it every cycle. It reads only once the script has declared itself (<c>IsScriptedConsumer = true</c>), and is fresh while the
/// broker connection holds (a script publishes a field on change, not on a clock); a Consumption older than
/// <see cref="MqttScriptedConsumerOptions.ConsumptionStaleAfter"/> counts as 0 W.
/// </summary>
public sealed class MqttScriptedConsumer(MqttScriptedConsumerOptions options, DeviceContext context) : IConsumer
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private ScriptedConsumerFields _fields = new();
    private DateTimeOffset? _declaredAt;
    private double? _allowanceW;
    private Task? _subscribed;

    /// <inheritdoc />
    public string Id => context.Id;

    /// <summary>The script's key in its topics.</summary>
    public string Key => options.Key.Length > 0 ? options.Key : context.Id;

    /// <inheritdoc />
    public string DisplayName => Fields.CustomName is { Length: > 0 } name ? name : $"Scripted consumer {Key} on MQTT";

    /// <inheritdoc />
    /// <remarks>What the script last asked for; its priority rounded to a whole number.</remarks>
    public ConsumerProfile Profile
    {
        get
        {
            var fields = Fields;
            return new ConsumerProfile(fields.RequestW, fields.MinimumW, fields.StepW, (int)Math.Round(fields.Priority));
        }
    }

    private ScriptedConsumerFields Fields
    {
        get
        {
            lock (_gate)
            {
                return _fields;
            }
        }
    }

    // Looked up once, on first use (the factory must not touch the broker): every message needs the topic.
    private MqttSite Site => field ??= MqttSite.From(context.Shared, $"[Device:{Id}]");

    private string Requests => field ??= $"{Site.TopicPrefix}/{options.TopicName}/Requests/{Key}";

    /// <inheritdoc />
    public async ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken)
    {
        await SubscribedAsync(cancellationToken).ConfigureAwait(false);
        double? given;
        lock (_gate)
        {
            given = _allowanceW;
        }
        if (given is { } allowance)
        {
            // es-ESS told each script its allowance every cycle: a script that (re)subscribes learns it at the next read.
            await PublishAllowanceAsync(allowance, cancellationToken).ConfigureAwait(false);
        }
        var now = context.Time.GetUtcNow();
        lock (_gate)
        {
            if (!_fields.IsScriptedConsumer || _declaredAt is not { } declared)
            {
                throw new IOException($"{Id}: no IsScriptedConsumer = true on {Requests}/IsScriptedConsumer yet; is the script running, with this TopicName and Key?");
            }
            var consumption = _fields.ConsumptionAt is { } at && now - at <= options.ConsumptionStaleAfter ? _fields.ConsumptionW : 0;
            return new DeviceReading
            {
                Timestamp = Site.Bus.IsConnected ? now : declared,
                Consumer = new ConsumerReading(consumption, consumption > 0) { AllowanceW = _allowanceW, IsAutomatic = _fields.IsAutomatic },
            };
        }
    }

    /// <inheritdoc />
    public async Task SetAllowanceAsync(double watts, CancellationToken cancellationToken)
    {
        await SubscribedAsync(cancellationToken).ConfigureAwait(false);
        await PublishAllowanceAsync(watts, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _allowanceW = watts;
        }
    }

    private async Task PublishAllowanceAsync(double watts, CancellationToken cancellationToken)
    {
        var text = Math.Round(watts, 1).ToString(CultureInfo.InvariantCulture);
        if (!await Site.Bus.PublishAsync(new MqttMessage($"{Requests}/Allowance", Encoding.UTF8.GetBytes(text), MqttQos.AtLeastOnce), cancellationToken).ConfigureAwait(false))
        {
            throw new IOException($"{Id}: could not publish the allowance {text} W to {Requests}/Allowance: is the broker reachable?");
        }
        var stamp = context.Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        await Site.Bus.PublishAsync(new MqttMessage(Requests, Encoding.UTF8.GetBytes(stamp), MqttQos.AtMostOnce), cancellationToken).ConfigureAwait(false);
    }

    private Task SubscribedAsync(CancellationToken cancellationToken)
    {
        if (_subscribed is { IsFaulted: true } or { IsCanceled: true })
        {
            _subscribed = null; // refused or dropped: subscribe again
        }
        _subscribed ??= Site.Bus.SubscribeAsync($"{Requests}/+", OnField, CancellationToken.None);
        return _subscribed.WaitAsync(cancellationToken);
    }

    private Task OnField(MqttMessage message)
    {
        var field = message.Topic[(Requests.Length + 1)..];
        string? problem;
        lock (_gate)
        {
            (_fields, problem) = _fields.Apply(field, message.Text, context.Time.GetUtcNow());
            if (_fields.IsScriptedConsumer)
            {
                _declaredAt ??= context.Time.GetUtcNow();
            }
            if (problem is null || !_reported.Add(problem))
            {
                return Task.CompletedTask;
            }
        }
        context.Logger.LogWarning("{Device}: the script's {Problem}; the field keeps its last value", Id, problem);
        return Task.CompletedTask;
    }
}
