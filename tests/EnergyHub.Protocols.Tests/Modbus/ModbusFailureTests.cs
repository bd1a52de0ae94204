using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using EnergyHub.Protocols.Modbus;
using EnergyHub.Protocols.Tests.Support;

namespace EnergyHub.Protocols.Tests.Modbus;

/// <summary>Links that break: a server that drops the connection mid-request, one that goes silent, stale answers.</summary>
public sealed class ModbusFailureTests
{
    internal static async Task<(ushort Id, byte[] Pdu)> ReadRequest(NetworkStream stream, CancellationToken ct)
    {
        var header = new byte[7];
        await stream.ReadExactlyAsync(header, ct);
        var pdu = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4)) - 1];
        await stream.ReadExactlyAsync(pdu, ct);
        return (BinaryPrimitives.ReadUInt16BigEndian(header), pdu);
    }

    internal static readonly ModbusTcpServer Answers = new(new ModbusRegisterMap(100, 100), new IPEndPoint(IPAddress.Loopback, 0));

    internal static ModbusTcpOptions Fast => new()
    {
        Timeout = TimeSpan.FromMilliseconds(300), ReconnectDelay = TimeSpan.FromMilliseconds(200), MaxReconnectDelay = TimeSpan.FromSeconds(1),
    };

    [Test]
    public async Task A_connection_dropped_mid_request_is_an_error_and_the_next_request_reconnects_after_the_backoff()
    {
        await using var server = new ScriptedTcpServer(async (n, stream, ct) =>
        {
            while (true)
            {
                var (id, pdu) = await ReadRequest(stream, ct);
                if (n == 1)
                {
                    await stream.WriteAsync(new byte[] { (byte)(id >> 8), (byte)id, 0, 0 }, ct); // half a header, then gone
                    return;
                }
                await stream.WriteAsync(ModbusTcpTransport.Frame(id, 1, Answers.Handle(pdu)), ct);
            }
        });
        await using var transport = new ModbusTcpTransport("127.0.0.1", server.Port, Fast);
        var client = new ModbusClient(transport);

        var dropped = Assert.ThrowsAsync<ModbusProtocolException>(() => client.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None));
        var tooSoon = Assert.ThrowsAsync<ModbusProtocolException>(() => client.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None));
        await Task.Delay(250);
        var values = await client.ReadHoldingRegistersAsync(1, 0, 2, CancellationToken.None);

        Assert.That(dropped!.Message, Does.Contain($"127.0.0.1:{server.Port}"));
        Assert.That(tooSoon!.Message, Does.Contain("not reconnecting"));
        Assert.That(values, Has.Length.EqualTo(2));
        Assert.That(server.Accepted, Is.EqualTo(2));
        Assert.That(transport.IsConnected, Is.True);
    }

    [Test]
    public async Task A_silent_server_times_out_and_the_half_open_connection_is_replaced()
    {
        await using var server = new ScriptedTcpServer(async (n, stream, ct) =>
        {
            while (true)
            {
                var (id, pdu) = await ReadRequest(stream, ct);
                if (n > 1)
                {
                    await stream.WriteAsync(ModbusTcpTransport.Frame(id, 1, Answers.Handle(pdu)), ct);
                }
            }
        });
        await using var transport = new ModbusTcpTransport("127.0.0.1", server.Port, Fast);
        var client = new ModbusClient(transport);

        var timeout = Assert.ThrowsAsync<TimeoutException>(() => client.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None));
        Assert.That(timeout!.Message, Does.Contain("no response").And.Contain("0.3 s"));
        Assert.That(transport.IsConnected, Is.False);
        await Task.Delay(250);
        Assert.That(await client.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None), Has.Length.EqualTo(1));
        Assert.That(server.Accepted, Is.EqualTo(2));
    }

    [Test]
    public async Task A_stale_answer_with_another_transaction_id_is_discarded()
    {
        await using var server = new ScriptedTcpServer(async (_, stream, ct) =>
        {
            while (true)
            {
                var (id, pdu) = await ReadRequest(stream, ct);
                await stream.WriteAsync(ModbusTcpTransport.Frame((ushort)(id - 1), 1, [0x03, 0x02, 0xDE, 0xAD]), ct);
                await stream.WriteAsync(ModbusTcpTransport.Frame(id, 1, Answers.Handle(pdu)), ct);
            }
        });
        await using var transport = new ModbusTcpTransport("127.0.0.1", server.Port, Fast);
        Assert.That(await new ModbusClient(transport).ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None), Is.EqualTo(new ushort[] { 0 }));
    }

    [Test]
    public async Task Concurrent_callers_never_interleave_requests_on_one_connection()
    {
        var overlaps = 0;
        await using var server = new ScriptedTcpServer(async (_, stream, ct) =>
        {
            while (true)
            {
                var (id, pdu) = await ReadRequest(stream, ct);
                await Task.Delay(5, ct);
                if (stream.DataAvailable)
                {
                    Interlocked.Increment(ref overlaps);
                }
                await stream.WriteAsync(ModbusTcpTransport.Frame(id, 1, Answers.Handle(pdu)), ct);
            }
        });
        await using var transport = new ModbusTcpTransport("127.0.0.1", server.Port, Fast with { Timeout = TimeSpan.FromSeconds(5) });
        var client = new ModbusClient(transport);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.ReadHoldingRegistersAsync(1, (ushort)i, 1, CancellationToken.None)));

        Assert.That(overlaps, Is.Zero);
        Assert.That(server.Accepted, Is.EqualTo(1));
    }

    [Test]
    public async Task Reads_above_125_registers_are_split_and_writes_above_123()
    {
        var map = new ModbusRegisterMap(1000, 1000);
        map.SetHolding(0, Enumerable.Range(0, 300).Select(i => (ushort)i).ToArray());
        await using var server = new ModbusTcpServer(map, new IPEndPoint(IPAddress.Loopback, 0)).Start();
        await using var transport = new ModbusTcpTransport("127.0.0.1", server.Endpoint.Port);
        var client = new ModbusClient(transport);

        var values = await client.ReadHoldingRegistersAsync(1, 0, 300, CancellationToken.None);
        Assert.That(values, Is.EqualTo(Enumerable.Range(0, 300).Select(i => (ushort)i).ToArray()));
        Assert.That(server.Requests, Is.EqualTo(3), "125 + 125 + 50");

        await client.WriteMultipleRegistersAsync(1, 400, Enumerable.Repeat((ushort)7, 200).ToArray(), CancellationToken.None);
        Assert.That(server.Requests, Is.EqualTo(5), "123 + 77");
        Assert.That(map.GetHolding(400, 200), Is.All.EqualTo(7));
    }

    [Test]
    public async Task Single_writes_can_use_fc16_for_devices_without_fc06()
    {
        var functions = new List<byte>();
        await using var server = new ScriptedTcpServer(async (_, stream, ct) =>
        {
            while (true)
            {
                var (id, pdu) = await ReadRequest(stream, ct);
                functions.Add(pdu[0]);
                await stream.WriteAsync(ModbusTcpTransport.Frame(id, 1, Answers.Handle(pdu)), ct);
            }
        });
        await using var transport = new ModbusTcpTransport("127.0.0.1", server.Port);
        await new ModbusClient(transport, new ModbusClientOptions { WriteSingleWithFc16 = true }).WriteSingleRegisterAsync(1, 5, 42, CancellationToken.None);
        Assert.That(functions, Is.EqualTo(new byte[] { 0x10 }));
    }

    [Test]
    public async Task A_reply_from_another_unit_id_is_refused()
    {
        await using var server = new ScriptedTcpServer(async (_, stream, ct) =>
        {
            while (true)
            {
                var (id, pdu) = await ReadRequest(stream, ct);
                await stream.WriteAsync(ModbusTcpTransport.Frame(id, 9, Answers.Handle(pdu)), ct);
            }
        });
        await using var transport = new ModbusTcpTransport("127.0.0.1", server.Port, Fast);

        var wrong = Assert.ThrowsAsync<ModbusProtocolException>(() => new ModbusClient(transport).ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None));

        Assert.That(wrong!.Message, Does.Contain("unit id 9, not 1").And.Contain("UnitId"));
    }

    [Test]
    public async Task A_busy_device_is_asked_again_and_a_wrong_request_is_not()
    {
        var requests = 0;
        await using var server = new ScriptedTcpServer(async (_, stream, ct) =>
        {
            while (true)
            {
                var (id, pdu) = await ReadRequest(stream, ct);
                var n = Interlocked.Increment(ref requests);
                byte[] answer = pdu[2] == 99 ? [(byte)(pdu[0] | 0x80), 0x02] : n < 3 ? [(byte)(pdu[0] | 0x80), 0x06] : Answers.Handle(pdu);
                await stream.WriteAsync(ModbusTcpTransport.Frame(id, 1, answer), ct);
            }
        });
        await using var transport = new ModbusTcpTransport("127.0.0.1", server.Port, Fast);
        var client = new ModbusClient(transport, new ModbusClientOptions { BusyRetryDelay = TimeSpan.FromMilliseconds(10) });

        Assert.That(await client.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None), Has.Length.EqualTo(1));
        Assert.That(requests, Is.EqualTo(3), "two 'busy' answers, then the values");
        var illegal = Assert.ThrowsAsync<ModbusException>(() => client.ReadHoldingRegistersAsync(1, 99, 1, CancellationToken.None));
        Assert.That(illegal!.Code, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
        Assert.That(requests, Is.EqualTo(4), "an illegal address is not retried");
    }

    [Test]
    public async Task A_write_connects_at_once_while_reads_wait_out_the_reconnect_backoff()
    {
        await using var server = new ScriptedTcpServer(async (n, stream, ct) =>
        {
            while (true)
            {
                var (id, pdu) = await ReadRequest(stream, ct);
                if (n == 1)
                {
                    return; // the first connection drops
                }
                await stream.WriteAsync(ModbusTcpTransport.Frame(id, 1, Answers.Handle(pdu)), ct);
            }
        });
        await using var transport = new ModbusTcpTransport("127.0.0.1", server.Port, Fast with { ReconnectDelay = TimeSpan.FromMinutes(1), MaxReconnectDelay = TimeSpan.FromMinutes(1) });
        var client = new ModbusClient(transport);

        Assert.ThrowsAsync<ModbusProtocolException>(() => client.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None));
        var read = Assert.ThrowsAsync<ModbusProtocolException>(() => client.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None));
        await client.WriteSingleRegisterAsync(1, 3, 100, CancellationToken.None);

        Assert.That(read!.Message, Does.Contain("not reconnecting"));
        Assert.That(server.Accepted, Is.EqualTo(2), "the write reconnected inside the minute of backoff");
    }
}
