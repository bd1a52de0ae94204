using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace EnergyHub.Protocols.Modbus;

/// <summary>
/// A Modbus TCP server over a <see cref="ModbusRegisterMap"/>: FC 03, 04, 06 and 16, with exception responses for
/// unknown functions (01), addresses outside the map (02) and bad quantities (03). Any unit id is answered.
/// For the simulator, emulators and tests; bind it to 127.0.0.1.
/// </summary>
public sealed class ModbusTcpServer(ModbusRegisterMap map, IPEndPoint endpoint) : IAsyncDisposable
{
    private readonly TcpListener _listener = new(endpoint);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _connections = [];
    private Task? _accepting;
    private int _requests;
    private int _accepted;

    /// <summary>The address actually bound (port 0 picks a free port).</summary>
    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Requests handled so far (counted before the answer is sent).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Client connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Starts listening and accepting clients.</summary>
    public ModbusTcpServer Start()
    {
        _listener.Start();
        _accepting = AcceptAsync(_stopping.Token);
        return this;
    }

    /// <summary>The response PDU to <paramref name="request"/>, exception responses included.</summary>
    public byte[] Handle(ReadOnlySpan<byte> request)
    {
        var function = request.Length > 0 ? request[0] : (byte)0;
        try
        {
            return function switch
            {
                ModbusPdu.ReadHoldingRegisters or ModbusPdu.ReadInputRegisters => HandleRead(request),
                ModbusPdu.WriteSingleRegister => HandleWriteSingle(request),
                ModbusPdu.WriteMultipleRegisters => HandleWriteMultiple(request),
                _ => throw new ModbusException(function, ModbusExceptionCode.IllegalFunction),
            };
        }
        catch (ModbusException ex)
        {
            return [(byte)(function | 0x80), (byte)ex.Code];
        }
    }

    private byte[] HandleRead(ReadOnlySpan<byte> request)
    {
        var (address, count) = AddressAndCount(request, 5);
        if (count is < 1 or > ModbusPdu.MaxReadRegisters)
        {
            throw new ModbusException(request[0], ModbusExceptionCode.IllegalDataValue);
        }
        var values = map.Read(request[0] == ModbusPdu.ReadHoldingRegisters, address, count);
        var response = new byte[2 + count * 2];
        response[0] = request[0];
        response[1] = (byte)(count * 2);
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(2 + i * 2), values[i]);
        }
        return response;
    }

    private byte[] HandleWriteSingle(ReadOnlySpan<byte> request)
    {
        var (address, value) = AddressAndCount(request, 5);
        map.Write(request[0], address, [(ushort)value]);
        return request[..5].ToArray();
    }

    private byte[] HandleWriteMultiple(ReadOnlySpan<byte> request)
    {
        var (address, count) = AddressAndCount(request, 6);
        if (count is < 1 or > ModbusPdu.MaxWriteRegisters || request[5] != count * 2 || request.Length != 6 + count * 2)
        {
            throw new ModbusException(request[0], ModbusExceptionCode.IllegalDataValue);
        }
        var values = new ushort[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt16BigEndian(request[(6 + i * 2)..]);
        }
        map.Write(request[0], address, values);
        return request[..5].ToArray();
    }

    private static (ushort Address, int Count) AddressAndCount(ReadOnlySpan<byte> request, int minimumLength) =>
        request.Length < minimumLength
            ? throw new ModbusException(request[0], ModbusExceptionCode.IllegalDataValue)
            : (BinaryPrimitives.ReadUInt16BigEndian(request[1..]), BinaryPrimitives.ReadUInt16BigEndian(request[3..]));

    private async Task AcceptAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(stopping).ConfigureAwait(false);
                Interlocked.Increment(ref _accepted);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            lock (_connections)
            {
                _connections.Add(ServeAsync(client, stopping));
            }
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stopping)
    {
        using (client)
        {
            var stream = client.GetStream();
            var header = new byte[7];
            try
            {
                while (!stopping.IsCancellationRequested)
                {
                    await stream.ReadExactlyAsync(header, stopping).ConfigureAwait(false);
                    var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4));
                    if (length is < 2 or > 254)
                    {
                        return;
                    }
                    var request = new byte[length - 1];
                    await stream.ReadExactlyAsync(request, stopping).ConfigureAwait(false);
                    var response = Handle(request);
                    var frame = ModbusTcpTransport.Frame(BinaryPrimitives.ReadUInt16BigEndian(header), header[6], response);
                    Interlocked.Increment(ref _requests); // before the answer leaves, so a client never sees a count behind
                    await stream.WriteAsync(frame, stopping).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
            {
                // The client went away or the server stops.
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }
        await Task.WhenAll(connections.Append(_accepting ?? Task.CompletedTask)).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
