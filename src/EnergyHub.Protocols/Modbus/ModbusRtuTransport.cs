using EnergyHub.Protocols.Serial;

namespace EnergyHub.Protocols.Modbus;

/// <summary>
/// Modbus RTU over a serial stream: address · PDU · CRC-16 (low byte first), one request at a time, at least 3.5
/// character times of silence between frames (1.75 ms above 19200 baud). The reply's length is known from the
/// request, so no inter-character timer is needed to find its end; its address, function and CRC are checked.
/// </summary>
public sealed class ModbusRtuTransport(Stream stream, SerialSettings line, TimeSpan? timeout = null, TimeProvider? time = null) : IModbusTransport
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _lastActivity;

    /// <summary>The silence that separates two frames on this line.</summary>
    public TimeSpan FrameGap => line.BaudRate > 19200 ? TimeSpan.FromMilliseconds(1.75) : line.CharacterTime * 3.5;

    /// <summary>The RTU frame of one request: address, PDU, CRC.</summary>
    public static byte[] Frame(byte unitId, ReadOnlySpan<byte> pdu)
    {
        var frame = new byte[pdu.Length + 3];
        frame[0] = unitId;
        pdu.CopyTo(frame.AsSpan(1));
        Crc16Modbus.Append(frame);
        return frame;
    }

    /// <inheritdoc />
    /// <remarks>Unit 0 is a broadcast: nothing answers, and an empty PDU is returned.</remarks>
    public async Task<byte[]> SendAsync(byte unitId, byte[] request, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var silence = FrameGap - _time.GetElapsedTime(Interlocked.Read(ref _lastActivity));
            if (silence > TimeSpan.Zero)
            {
                await Task.Delay(silence, _time, cancellationToken).ConfigureAwait(false);
            }
            (stream as SerialLine)?.DiscardInput();
            await stream.WriteAsync(Frame(unitId, request), cancellationToken).ConfigureAwait(false);
            if (unitId == 0)
            {
                Touch();
                return [];
            }

            using var timeout = new CancellationTokenSource(_timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                return await ReadReplyAsync(unitId, request, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"unit {unitId} did not answer within {_timeout.TotalMilliseconds:0} ms");
            }
            finally
            {
                Touch();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<byte[]> ReadReplyAsync(byte unitId, byte[] request, CancellationToken cancellationToken)
    {
        var head = new byte[2];
        await stream.ReadExactlyAsync(head, cancellationToken).ConfigureAwait(false);
        var pduLength = head[1] == (request[0] | 0x80) ? 2 : ModbusPdu.ResponseLength(request);
        var frame = new byte[1 + pduLength + 2];
        head.CopyTo(frame, 0);
        await stream.ReadExactlyAsync(frame.AsMemory(2), cancellationToken).ConfigureAwait(false);
        if (Crc16Modbus.Compute(frame) != 0)
        {
            throw new ModbusProtocolException($"CRC error in reply {Convert.ToHexString(frame)}");
        }
        if (frame[0] != unitId)
        {
            throw new ModbusProtocolException($"reply from unit {frame[0]}, expected {unitId}");
        }
        return frame[1..^2];
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, _time.GetTimestamp());

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
