using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Protocols.Mqtt;

/// <summary>
/// An MQTT 3.1.1 client that stays connected: it reconnects with capped exponential backoff, re-subscribes when the
/// broker lost the session, re-sends unacknowledged QoS 1 messages with DUP set, and pings when idle. Publishing
/// never blocks: messages wait in a bounded queue while the broker is away, the oldest dropped (and reported) when full.
/// Received messages are handed to subscription handlers in order, on one dispatch task, never on the socket reader.
/// </summary>
public sealed class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly LinkedList<Outgoing> _queue = new();
    private readonly Dictionary<ushort, Outgoing> _inflight = [];
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<ushort, Subscription> _subAcks = [];
    private readonly Dictionary<ushort, TaskCompletionSource> _unsubAcks = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _inflightSlots;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Channel<MqttMessage> _inbound = Channel.CreateUnbounded<MqttMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _run;
    private Task? _dispatch;
    private Stream? _stream;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ushort _nextPacketId;
    private long _sequence;
    private long _lastSent;
    private long _lastPingResponse;
    private DateTimeOffset _lastDropWarning = DateTimeOffset.MinValue;

    /// <summary>Creates a client; <see cref="Start"/> connects it.</summary>
    public MqttClient(MqttClientOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _inflightSlots = new SemaphoreSlim(options.MaxInflight, options.MaxInflight);
    }

    /// <summary>True while connected to the broker.</summary>
    public bool IsConnected => _connected.Task.IsCompletedSuccessfully;

    /// <summary>Successful connections so far.</summary>
    public int Connects { get; private set; }

    /// <summary>Messages dropped from the full offline queue.</summary>
    public long Dropped { get; private set; }

    /// <summary>Messages waiting to be sent.</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Starts connecting (and reconnecting) in the background.</summary>
    public void Start()
    {
        _dispatch ??= Task.Run(DispatchAsync);
        _run ??= Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Waits until the client is connected.</summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken) => _connected.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Queues <paramref name="message"/> and returns at once. The task completes when the message was written (QoS 0)
    /// or acknowledged (QoS 1); it fails with <see cref="MqttMessageDroppedException"/> if the full queue dropped it.
    /// </summary>
    public Task PublishAsync(MqttMessage message)
    {
        if (MqttTopic.TopicProblem(message.Topic) is { } problem)
        {
            throw new ArgumentException(problem, nameof(message));
        }
        var outgoing = new Outgoing(message, Interlocked.Increment(ref _sequence));
        Outgoing? dropped = null;
        lock (_gate)
        {
            if (_queue.Count >= _options.MaxQueuedMessages)
            {
                dropped = _queue.First!.Value;
                _queue.RemoveFirst();
                Dropped++;
            }
            _queue.AddLast(outgoing);
        }
        if (dropped is not null)
        {
            dropped.Done.TrySetException(new MqttMessageDroppedException(dropped.Message.Topic, _options.MaxQueuedMessages));
            WarnDropped(dropped);
        }
        Wake();
        return outgoing.Done.Task;
    }

    /// <summary>
    /// Subscribes <paramref name="handler"/> to <paramref name="filter"/> and waits for the broker's acknowledgement
    /// (made, or remade after a reconnect, whenever the broker is reachable). Throws when the broker refuses it.
    /// </summary>
    public async Task SubscribeAsync(string filter, MqttQos qos, Func<MqttMessage, Task> handler, CancellationToken cancellationToken)
    {
        if (MqttTopic.FilterProblem(filter) is { } problem)
        {
            throw new ArgumentException(problem, nameof(filter));
        }
        Subscription subscription;
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(filter, out subscription!))
            {
                subscription = new Subscription(filter, qos);
                _subscriptions[filter] = subscription;
            }
            subscription.Handlers.Add(handler);
        }
        if (_stream is { } stream)
        {
            await SendSubscribeAsync(stream, subscription, cancellationToken).ConfigureAwait(false);
        }
        await subscription.Acked.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes every handler of <paramref name="filter"/> and unsubscribes at the broker.</summary>
    public async Task UnsubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _subscriptions.Remove(filter);
        }
        if (_stream is not { } stream)
        {
            return;
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ushort id;
        lock (_gate)
        {
            id = AllocatePacketId();
            _unsubAcks[id] = done;
        }
        await WriteAsync(stream, MqttCodec.Unsubscribe(id, filter), cancellationToken).ConfigureAwait(false);
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            using var session = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            Stream? stream = null;
            var connectedAt = (long?)null;
            string? error = null;
            try
            {
                stream = await ConnectAsync(stopping, quietly: failures > 1).ConfigureAwait(false);
                connectedAt = _time.GetTimestamp();
                await RunSessionAsync(stream, session).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                error = ex.Message;
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                // Closing: whatever the session ended with is moot.
            }
            finally
            {
                await session.CancelAsync().ConfigureAwait(false);
                if (ReferenceEquals(_stream, stream))
                {
                    _stream = null;
                }
                if (_connected.Task.IsCompleted)
                {
                    _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                if (stream is not null)
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                }
            }
            if (stopping.IsCancellationRequested)
            {
                return;
            }
            // Only a connection that lasted resets the backoff: one that is accepted and dropped at once is a failure too.
            failures = connectedAt is { } since && _time.GetElapsedTime(since) >= _options.StableAfter ? 1 : failures + 1;
            var delay = Backoff.Delay(_options.ReconnectDelay, failures, _options.MaxReconnectDelay);
            _logger.LogWarning("MQTT {Host}:{Port}: {Error}; reconnecting in {Delay:0.#} s", _options.Host, _options.Port,
                error ?? "the broker closed the connection", delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<Stream> ConnectAsync(CancellationToken stopping, bool quietly)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        var tcp = new TcpClient { NoDelay = true };
        Stream stream;
        try
        {
            await tcp.ConnectAsync(_options.Host, _options.Port, linked.Token).ConfigureAwait(false);
            stream = tcp.GetStream();
            if (_options.UseTls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false,
                    (_, _, _, errors) => errors == SslPolicyErrors.None || _options.AllowUntrustedCertificate);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = _options.Host }, linked.Token).ConfigureAwait(false);
                stream = ssl;
            }
            await stream.WriteAsync(MqttCodec.Connect(_options), linked.Token).ConfigureAwait(false);
            var ack = await MqttCodec.ReadAsync(stream, _options.MaxInboundPacketBytes, linked.Token).ConfigureAwait(false);
            if (ack.Type != MqttPacketType.ConnAck || ack.Body.Length != 2)
            {
                throw new MqttProtocolException($"expected CONNACK, got {ack.Type}");
            }
            if (ack.Body[1] != 0)
            {
                throw new MqttConnectException(ack.Body[1]);
            }
            var sessionPresent = (ack.Body[0] & 1) != 0;
            Touch();
            Interlocked.Exchange(ref _lastPingResponse, _time.GetTimestamp());
            Connects++;
            // A broker that keeps dropping the connection gets one line per attempt (the warning), not two.
            _logger.Log(quietly ? LogLevel.Debug : LogLevel.Information, "MQTT connected to {Host}:{Port} as {ClientId} (session present: {SessionPresent})",
                _options.Host, _options.Port, _options.ClientId, sessionPresent);
            _stream = stream;
            if (!sessionPresent)
            {
                lock (_gate)
                {
                    foreach (var subscription in _subscriptions.Values)
                    {
                        subscription.NeedsSending = true;
                    }
                }
            }
            return stream;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            tcp.Dispose();
            throw new TimeoutException($"connecting took longer than {_options.ConnectTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    private async Task RunSessionAsync(Stream stream, CancellationTokenSource session)
    {
        var reader = Task.Run(() => ReadLoopAsync(stream, session.Token));
        List<Subscription> subscriptions;
        List<Outgoing> resend;
        lock (_gate)
        {
            subscriptions = _subscriptions.Values.Where(s => s.NeedsSending || !s.Acked.Task.IsCompleted).ToList();
            resend = _inflight.Values.OrderBy(o => o.Sequence).ToList();
        }
        foreach (var subscription in subscriptions)
        {
            await SendSubscribeAsync(stream, subscription, session.Token).ConfigureAwait(false);
        }
        foreach (var outgoing in resend)
        {
            await WriteAsync(stream, MqttCodec.Publish(outgoing.Message, outgoing.PacketId, duplicate: true), session.Token).ConfigureAwait(false);
        }
        _connected.TrySetResult();
        var writer = Task.Run(() => WriteLoopAsync(stream, session.Token));
        var keepAlive = Task.Run(() => KeepAliveLoopAsync(stream, session.Token));
        var first = await Task.WhenAny(reader, writer, keepAlive).ConfigureAwait(false);
        await session.CancelAsync().ConfigureAwait(false);
        await stream.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(reader, writer, keepAlive).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        await first.ConfigureAwait(false);
    }

    private async Task ReadLoopAsync(Stream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            var packet = await MqttCodec.ReadAsync(stream, _options.MaxInboundPacketBytes, cancellationToken).ConfigureAwait(false);
            switch (packet.Type)
            {
                case MqttPacketType.Publish:
                    var (message, packetId) = MqttCodec.ParsePublish(packet);
                    await _inbound.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
                    if (message.Qos == MqttQos.AtLeastOnce)
                    {
                        await WriteAsync(stream, MqttCodec.PubAck(packetId), cancellationToken).ConfigureAwait(false);
                    }
                    break;
                case MqttPacketType.PubAck:
                    Outgoing? acked;
                    lock (_gate)
                    {
                        _inflight.Remove(packet.PacketId, out acked);
                    }
                    if (acked is not null)
                    {
                        _inflightSlots.Release();
                        acked.Done.TrySetResult();
                    }
                    break;
                case MqttPacketType.SubAck:
                    Subscription? subscription;
                    lock (_gate)
                    {
                        _subAcks.Remove(packet.PacketId, out subscription);
                    }
                    if (subscription is not null)
                    {
                        if (packet.Body[2] == 0x80)
                        {
                            lock (_gate)
                            {
                                _subscriptions.Remove(subscription.Filter);
                            }
                            subscription.Acked.TrySetException(new IOException($"the broker refused the subscription to '{subscription.Filter}'"));
                        }
                        else
                        {
                            subscription.Acked.TrySetResult();
                        }
                    }
                    break;
                case MqttPacketType.UnsubAck:
                    TaskCompletionSource? unsubscribed;
                    lock (_gate)
                    {
                        _unsubAcks.Remove(packet.PacketId, out unsubscribed);
                    }
                    unsubscribed?.TrySetResult();
                    break;
                case MqttPacketType.PingResp:
                    Interlocked.Exchange(ref _lastPingResponse, _time.GetTimestamp());
                    break;
                default:
                    throw new MqttProtocolException($"unexpected packet type {(int)packet.Type} from the broker");
            }
        }
    }

    private async Task WriteLoopAsync(Stream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            Outgoing? next;
            lock (_gate)
            {
                next = _queue.First?.Value;
                if (next is not null)
                {
                    _queue.RemoveFirst();
                }
            }
            if (next is null)
            {
                await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            try
            {
                if (next.Message.Qos == MqttQos.AtLeastOnce)
                {
                    await _inflightSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
                    lock (_gate)
                    {
                        next.PacketId = AllocatePacketId();
                        _inflight[next.PacketId] = next;
                    }
                    await WriteAsync(stream, MqttCodec.Publish(next.Message, next.PacketId), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await WriteAsync(stream, MqttCodec.Publish(next.Message), cancellationToken).ConfigureAwait(false);
                    next.Done.TrySetResult();
                }
            }
            catch when (next.Message.Qos == MqttQos.AtMostOnce || next.PacketId == 0)
            {
                // Not on the wire (or not sure): back to the head of the queue, to go out after the reconnect.
                lock (_gate)
                {
                    _queue.AddFirst(next);
                }
                throw;
            }
        }
    }

    private async Task KeepAliveLoopAsync(Stream stream, CancellationToken cancellationToken)
    {
        if (_options.KeepAlive <= TimeSpan.Zero)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        var pingTimeout = TimeSpan.FromTicks(Math.Min(_options.KeepAlive.Ticks / 2, TimeSpan.FromSeconds(10).Ticks));
        while (true)
        {
            var idle = _time.GetElapsedTime(Interlocked.Read(ref _lastSent));
            if (idle < _options.KeepAlive)
            {
                await Task.Delay(_options.KeepAlive - idle, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var sent = _time.GetTimestamp();
            await WriteAsync(stream, MqttCodec.PingReq(), cancellationToken).ConfigureAwait(false);
            await Task.Delay(pingTimeout, _time, cancellationToken).ConfigureAwait(false);
            if (Interlocked.Read(ref _lastPingResponse) < sent)
            {
                throw new TimeoutException($"no PINGRESP within {pingTimeout.TotalSeconds:0.#} s; the connection is dead");
            }
        }
    }

    private async Task SendSubscribeAsync(Stream stream, Subscription subscription, CancellationToken cancellationToken)
    {
        ushort id;
        lock (_gate)
        {
            subscription.NeedsSending = false;
            id = AllocatePacketId();
            _subAcks[id] = subscription;
        }
        await WriteAsync(stream, MqttCodec.Subscribe(id, subscription.Filter, subscription.Qos), cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(Stream stream, byte[] packet, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(packet, cancellationToken).ConfigureAwait(false);
            Touch();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task DispatchAsync()
    {
        await foreach (var message in _inbound.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            List<Func<MqttMessage, Task>> handlers;
            lock (_gate)
            {
                handlers = _subscriptions.Values.Where(s => MqttTopic.Matches(s.Filter, message.Topic)).SelectMany(s => s.Handlers).ToList();
            }
            foreach (var handler in handlers)
            {
                try
                {
                    await handler(message).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "MQTT handler for {Topic} failed: {Error}", message.Topic, ex.Message);
                }
            }
        }
    }

    // Called under _gate. Packet ids run 1..65535 and skip ids still waiting for an acknowledgement.
    private ushort AllocatePacketId()
    {
        do
        {
            _nextPacketId = _nextPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_nextPacketId + 1);
        }
        while (_inflight.ContainsKey(_nextPacketId) || _subAcks.ContainsKey(_nextPacketId) || _unsubAcks.ContainsKey(_nextPacketId));
        return _nextPacketId;
    }

    private void Touch() => Interlocked.Exchange(ref _lastSent, _time.GetTimestamp());

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    private void WarnDropped(Outgoing dropped)
    {
        var now = _time.GetUtcNow();
        if (now - _lastDropWarning >= TimeSpan.FromSeconds(10))
        {
            _lastDropWarning = now;
            _logger.LogWarning("MQTT queue full ({Capacity} messages while {Host}:{Port} is unreachable): dropped the oldest, to {Topic}; {Dropped} dropped so far",
                _options.MaxQueuedMessages, _options.Host, _options.Port, dropped.Message.Topic, Dropped);
        }
    }

    /// <summary>Closes the connection as a crash would, without DISCONNECT, so the broker publishes the will. For tests.</summary>
    internal async Task AbortAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_stream is { } stream)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
        await (_run ?? Task.CompletedTask).ConfigureAwait(false);
    }

    /// <summary>Sends DISCONNECT (so the broker discards the will) and closes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stream is { } stream && !_stopping.IsCancellationRequested)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await WriteAsync(stream, MqttCodec.Disconnect(), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        await (_run ?? Task.CompletedTask).ConfigureAwait(false);
        _inbound.Writer.TryComplete();
        await (_dispatch ?? Task.CompletedTask).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var outgoing in _queue.Concat(_inflight.Values))
            {
                outgoing.Done.TrySetException(new ObjectDisposedException(nameof(MqttClient), "the client was closed before the message was delivered"));
            }
        }
        _stopping.Dispose();
    }

    private sealed class Outgoing(MqttMessage message, long sequence)
    {
        public MqttMessage Message { get; } = message;
        public long Sequence { get; } = sequence;
        public ushort PacketId { get; set; }
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Subscription(string filter, MqttQos qos)
    {
        public string Filter { get; } = filter;
        public MqttQos Qos { get; } = qos;
        public List<Func<MqttMessage, Task>> Handlers { get; } = [];
        public bool NeedsSending { get; set; } = true;
        public TaskCompletionSource Acked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
