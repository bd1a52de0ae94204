using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EnergyHub.Protocols.Mqtt;

/// <summary>
/// One connection to an MQTT broker on MQTTnet, for every device and service of a site that talks to that broker: it
/// connects in the background, reconnects with backoff, subscribes again after every reconnect, and raises
/// <see cref="Connected"/> so owners can publish their retained state again. A QoS 1 publish never disappears: it waits
/// for the connection (backpressure on the caller) and for the broker's acknowledgement. A QoS 0 publish while offline is
/// dropped and counted in <see cref="Dropped"/>.
/// </summary>
public sealed class MqttBus : IAsyncDisposable
{
    private readonly MqttBusOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IMqttClient _client;
    private readonly ConcurrentDictionary<string, System.Collections.Immutable.ImmutableArray<Func<MqttMessage, Task>>> _subscriptions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _online = NewSignal();
    private TaskCompletionSource _offline = NewSignal();
    private Task? _loop;
    private long _dropped;
    private int _connections;
    private int _disposed;

    /// <summary>Creates the bus; nothing connects before <see cref="Start"/>.</summary>
    public MqttBus(MqttBusOptions options, ILogger logger, TimeProvider? time = null)
    {
        (_options, _logger, _time) = (options, logger, time ?? TimeProvider.System);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += _ =>
        {
            _offline.TrySetResult();
            return Task.CompletedTask;
        };
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>Raised after every connect and reconnect, once the subscriptions are in place (publish retained state here).</summary>
    public event Func<Task>? Connected;

    /// <summary>Whether the bus is connected now.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>QoS 0 messages dropped because the broker was not reachable.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The broker as <c>host:port</c>, for messages.</summary>
    public string Broker => $"{_options.Host}:{_options.Port}";

    /// <summary>Starts connecting (and reconnecting) in the background.</summary>
    public MqttBus Start()
    {
        _loop ??= Task.Run(() => RunAsync(_stopping.Token));
        return this;
    }

    /// <summary>Completes once the bus is connected.</summary>
    public Task WaitConnectedAsync(CancellationToken cancellationToken) => _online.Task.WaitAsync(cancellationToken);

    /// <summary>Connections made so far: a subscriber of retained state compares it to see that it must publish again.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>
    /// Publishes <paramref name="message"/>. QoS 1 waits until it is connected and the broker acknowledged it (retried after
    /// a reconnect); QoS 0 is sent when connected and otherwise dropped (counted). True when the message went out.
    /// </summary>
    public async Task<bool> PublishAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        var built = new MqttApplicationMessageBuilder()
            .WithTopic(message.Topic)
            .WithPayload(message.Payload.ToArray())
            .WithQualityOfServiceLevel(message.Qos == MqttQos.AtLeastOnce ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce)
            .WithRetainFlag(message.Retain)
            .Build();
        if (message.Qos == MqttQos.AtMostOnce)
        {
            if (!_client.IsConnected)
            {
                Interlocked.Increment(ref _dropped);
                return false;
            }
            try
            {
                await _client.PublishAsync(built, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException)
            {
                Interlocked.Increment(ref _dropped);
                return false;
            }
        }
        while (true)
        {
            await _online.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await _client.PublishAsync(built, cancellationToken).ConfigureAwait(false);
                if (result.IsSuccess)
                {
                    return true;
                }
                throw new IOException($"the broker {Broker} refused {message.Topic}: {result.ReasonCode} {result.ReasonString}");
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException
                                       && !cancellationToken.IsCancellationRequested)
            {
                // The connection went while the message was on its way: wait for the next one and send it again.
                await _offline.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Subscribes <paramref name="handler"/> to <paramref name="filter"/> now (when connected) and after every reconnect.
    /// Several handlers may share a filter (two devices reading one sensor's topic); each gets every message.
    /// </summary>
    public async Task SubscribeAsync(string filter, Func<MqttMessage, Task> handler, CancellationToken cancellationToken)
    {
        _subscriptions.AddOrUpdate(filter, [handler], (_, handlers) => handlers.Contains(handler) ? handlers : handlers.Add(handler));
        if (_client.IsConnected)
        {
            await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                timeout.CancelAfter(_options.ConnectTimeout);
                _offline = NewSignal();
                var connack = await _client.ConnectAsync(ClientOptions(), timeout.Token).ConfigureAwait(false);
                if (connack.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new BrokerRefusedException(connack.ResultCode);
                }
                foreach (var filter in _subscriptions.Keys)
                {
                    await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                        stopping).ConfigureAwait(false);
                }
                _logger.Log(failures == 0 ? LogLevel.Information : LogLevel.Warning, "MQTT: connected to {Broker}{Again}", Broker, failures == 0 ? "" : " again");
                failures = 0;
                Interlocked.Increment(ref _connections);
                _online.TrySetResult();
                if (Connected is { } connected)
                {
                    await connected().ConfigureAwait(false);
                }
                await _offline.Task.WaitAsync(stopping).ConfigureAwait(false);
                _online = NewSignal();
                _logger.LogWarning("MQTT: the connection to {Broker} was lost; reconnecting", Broker);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _online = _online.Task.IsCompleted ? NewSignal() : _online;
                if (failures++ == 0)
                {
                    _logger.LogWarning("MQTT: {Problem}; retrying with backoff", Refusal(ex) ?? $"cannot reach {Broker} ({ex.GetBaseException().Message}). Check [Mqtt] Host, Port, User and Tls");
                }
            }
            try
            {
                await Task.Delay(Backoff.Delay(_options.ReconnectDelay, Math.Max(1, failures), _options.MaxReconnectDelay), _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // The broker answered and said no: say what it said, not that it cannot be reached.
    private string? Refusal(Exception ex) => ex is BrokerRefusedException { Code: var code }
        ? code is MqttClientConnectResultCode.NotAuthorized or MqttClientConnectResultCode.BadUserNameOrPassword
            ? $"{Broker} refused the user or password ({code}). Check [Mqtt] User and Password (or ENERGYHUB_Mqtt__Password) and the broker's password file"
            : $"{Broker} refused the connection ({code}). Check [Mqtt] ClientId, User and the broker's log"
        : null;

    private sealed class BrokerRefusedException(MqttClientConnectResultCode code) : Exception($"the broker refused the connection: {code}")
    {
        public MqttClientConnectResultCode Code => code;
    }

    private MQTTnet.MqttClientOptions ClientOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_options.ClientId)
            .WithCleanSession(_options.CleanSession)
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithTimeout(_options.ConnectTimeout)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311);
        if (_options.Username is { Length: > 0 } user)
        {
            builder.WithCredentials(user, _options.Password);
        }
        if (_options.Will is { } will)
        {
            builder.WithWillTopic(will.Topic).WithWillPayload(will.Payload.ToArray()).WithWillRetain(will.Retain)
                .WithWillQualityOfServiceLevel(will.Qos == MqttQos.AtLeastOnce ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce);
        }
        if (_options.UseTls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (_options.AllowUntrustedCertificate)
                {
                    tls.WithCertificateValidationHandler(_ => true);
                }
                else if (_options.CaFile is { Length: > 0 } caFile)
                {
                    var authority = X509CertificateLoader.LoadCertificateFromFile(caFile);
                    tls.WithTrustChain([authority]);
                }
            });
        }
        return builder.Build();
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        var message = new MqttMessage(topic, System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload),
            e.ApplicationMessage.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce ? MqttQos.AtMostOnce : MqttQos.AtLeastOnce, e.ApplicationMessage.Retain);
        foreach (var (filter, handlers) in _subscriptions)
        {
            if (MqttTopicFilterComparer.Compare(topic, filter) != MqttTopicFilterCompareResult.IsMatch)
            {
                continue;
            }
            foreach (var handler in handlers)
            {
                try
                {
                    await handler(message).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    _logger.LogWarning(ex, "MQTT: the handler of {Filter} failed on {Topic}: {Error}", filter, topic, ex.Message);
                }
            }
        }
    }

    /// <summary>Disconnects cleanly (the broker then does not send the will) and stops reconnecting.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        if (_client.IsConnected)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(),
                    timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException)
            {
                _logger.LogDebug("MQTT: disconnecting from {Broker} failed: {Error}", Broker, ex.Message);
            }
        }
        _client.Dispose();
        _stopping.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
