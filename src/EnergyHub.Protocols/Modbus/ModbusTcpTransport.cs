using System.Buffers.Binary;
using System.Net.Sockets;

namespace EnergyHub.Protocols.Modbus;

/// <summary>Settings of a <see cref="ModbusTcpTransport"/>.</summary>
public sealed record ModbusTcpOptions
{
    /// <summary>How long one request may wait for its complete response.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Wait before the first reconnect after a failure; doubles with every further failure.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnect attempts: short, so a device back from an outage is reached promptly.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Modbus TCP (MBAP) over one connection, one request at a time. Responses are paired by transaction id (stale ones
/// are discarded); a reply from another unit id is refused. A timeout, reset, broken pipe or malformed frame closes the
/// connection; the next read reconnects, but not before a capped exponential backoff has passed, so a dead device is not
/// hammered. Writes connect at once.
/// </summary>
public sealed class ModbusTcpTransport(string host, int port, ModbusTcpOptions? options = null, TimeProvider? time = null) : IModbusTransport
{
    private const int HeaderLength = 7;

    private readonly ModbusTcpOptions _options = options ?? new ModbusTcpOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TcpClient? _client;
    private NetworkStream? _stream;
    private ushort _transactionId;
    private int _failures;
    private DateTimeOffset _nextConnect;
    private string? _lastError;

    /// <summary>True while a connection is open.</summary>
    public bool IsConnected => _stream is not null;

    /// <summary>Connections made so far (the first one included).</summary>
    public int Connects { get; private set; }

    /// <inheritdoc />
    public async Task<byte[]> SendAsync(byte unitId, byte[] request, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            // Writes are never held back by the backoff: a command (a safe state above all) always tries to connect.
            if (_stream is null && _failures > 0 && now < _nextConnect && !ModbusPdu.IsWrite(request))
            {
                // Refusing during the backoff is not another failure: it neither extends the backoff nor hides the cause.
                throw new ModbusProtocolException($"not reconnecting to {host}:{port} for another {(_nextConnect - now).TotalSeconds:0.#} s " +
                    $"after {_failures} failure(s); last: {_lastError}");
            }
            using var timeout = new CancellationTokenSource(_options.Timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                var stream = _stream ?? await ConnectAsync(linked.Token).ConfigureAwait(false);
                var id = unchecked(++_transactionId);
                await stream.WriteAsync(Frame(id, unitId, request), linked.Token).ConfigureAwait(false);
                var response = await ReadResponseAsync(stream, id, unitId, linked.Token).ConfigureAwait(false);
                _failures = 0;
                return response;
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Whatever the device still sends for this request would be misread as the next answer: start afresh.
                Close();
                _failures++;
                _nextConnect = _time.GetUtcNow() + Backoff.Delay(_options.ReconnectDelay, _failures, _options.MaxReconnectDelay);
                if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                _lastError = ex is OperationCanceledException
                    ? $"no response from {host}:{port} within {_options.Timeout.TotalSeconds:0.###} s"
                    : $"{host}:{port}: {ex.Message}";
                throw ex is OperationCanceledException ? new TimeoutException(_lastError) : new ModbusProtocolException(_lastError, ex);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The MBAP frame of one request: transaction id, protocol 0, length, unit id, PDU.</summary>
    public static byte[] Frame(ushort transactionId, byte unitId, ReadOnlySpan<byte> pdu)
    {
        var frame = new byte[HeaderLength + pdu.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), (ushort)(pdu.Length + 1));
        frame[6] = unitId;
        pdu.CopyTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    private async Task<NetworkStream> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            client.Client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            client.Client.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 30);
            client.Client.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 10);
            using var connectTimeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connectTimeout.Token);
            await client.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        _client = client;
        _stream = client.GetStream();
        Connects++;
        return _stream;
    }

    // The PDU is sized from itself (function, byte count), not from the MBAP length, which some firmwares (GoodWe)
    // get wrong; the length is only trusted for function codes this client does not know.
    private static async Task<byte[]> ReadResponseAsync(NetworkStream stream, ushort id, byte unitId, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderLength];
        var one = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
            var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4));
            if (BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)) != 0)
            {
                throw new ModbusProtocolException($"invalid MBAP header {Convert.ToHexString(header)}");
            }
            if (header[6] != unitId && BinaryPrimitives.ReadUInt16BigEndian(header) == id)
            {
                throw new ModbusProtocolException($"the reply came from unit id {header[6]}, not {unitId}: check UnitId in the config (another device answers on this address)");
            }
            await stream.ReadExactlyAsync(one, cancellationToken).ConfigureAwait(false);
            var function = one[0];
            int rest;
            if ((function & 0x80) != 0)
            {
                rest = 1;
            }
            else if (function is ModbusPdu.ReadHoldingRegisters or ModbusPdu.ReadInputRegisters)
            {
                await stream.ReadExactlyAsync(one, cancellationToken).ConfigureAwait(false);
                var data = new byte[one[0]];
                await stream.ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
                if (BinaryPrimitives.ReadUInt16BigEndian(header) == id)
                {
                    return [function, one[0], .. data];
                }
                continue;
            }
            else if (function is ModbusPdu.WriteSingleRegister or ModbusPdu.WriteMultipleRegisters)
            {
                rest = 4;
            }
            else if (length is >= 2 and <= 254)
            {
                rest = length - 2;
            }
            else
            {
                throw new ModbusProtocolException($"invalid MBAP length {length} for function {function:X2}");
            }
            var pdu = new byte[1 + rest];
            pdu[0] = function;
            await stream.ReadExactlyAsync(pdu.AsMemory(1), cancellationToken).ConfigureAwait(false);
            if (BinaryPrimitives.ReadUInt16BigEndian(header) == id)
            {
                return pdu;
            }
        }
    }

    private void Close()
    {
        _stream?.Dispose();
        _client?.Dispose();
        (_stream, _client) = (null, null);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Close();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}
