using System.Buffers.Binary;
using EnergyHub.Protocols.Modbus;
using EnergyHub.Protocols.Tests.Support;
using static EnergyHub.Protocols.Tests.Modbus.ModbusFailureTests;

namespace EnergyHub.Protocols.Tests.Modbus;

/// <summary>
/// A Modbus TCP peer that lies, stalls or floods. Each exchange ends in an exception that says what was wrong (never a
/// wrong value, never a hang beyond the timeout), and the next request starts on a clean connection.
/// </summary>
public sealed class ModbusHostileServerTests
{
    private static byte[] Header(ushort id, ushort protocol, ushort length, byte unit)
    {
        var header = new byte[7];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), protocol);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), length);
        header[6] = unit;
        return header;
    }

    /// <summary>The first request is answered as <paramref name="hostile"/> says; later ones properly.</summary>
    private static ScriptedTcpServer FirstRequestHostile(Func<ushort, byte[], NetworkStreamWriter, Task> hostile)
    {
        var requests = 0;
        return new(async (_, stream, ct) =>
        {
            while (true)
            {
                var (id, pdu) = await ReadRequest(stream, ct);
                if (Interlocked.Increment(ref requests) == 1)
                {
                    await hostile(id, pdu, bytes => stream.WriteAsync(bytes, ct).AsTask());
                }
                else
                {
                    await stream.WriteAsync(ModbusTcpTransport.Frame(id, 1, Answers.Handle(pdu)), ct);
                }
            }
        });
    }

    private delegate Task NetworkStreamWriter(byte[] bytes);

    /// <summary>The first read's exception; the second read must work, on a new connection when <paramref name="connections"/> is 2.</summary>
    private static async Task<Exception?> FirstReadThenRecovery(ScriptedTcpServer server, int connections = 2, ModbusTcpOptions? options = null)
    {
        await using var transport = new ModbusTcpTransport("127.0.0.1", server.Port, options ?? Fast with { ReconnectDelay = TimeSpan.Zero });
        var client = new ModbusClient(transport);
        Exception? failure = null;
        try
        {
            await client.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        Assert.That(await client.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None), Is.EqualTo(new ushort[] { 0 }), "the next request works on a new connection");
        Assert.That(server.Accepted, Is.EqualTo(connections), connections == 2 ? "a broken frame closes the connection" : "a whole, well-framed reply keeps it");
        return failure;
    }

    [Test]
    public async Task A_reply_from_another_unit_is_refused_and_the_connection_replaced()
    {
        await using var server = FirstRequestHostile((id, pdu, write) => write(ModbusTcpTransport.Frame(id, 7, Answers.Handle(pdu))));
        Assert.That(await FirstReadThenRecovery(server), Is.InstanceOf<ModbusProtocolException>().With.Message.Contains("unit id 7"));
    }

    [Test]
    public async Task A_protocol_id_other_than_zero_is_refused()
    {
        await using var server = FirstRequestHostile((id, _, write) => write([.. Header(id, 1, 5, 1), 0x03, 0x02, 0x00, 0x01]));
        Assert.That(await FirstReadThenRecovery(server), Is.InstanceOf<ModbusProtocolException>().With.Message.Contains("MBAP header"));
    }

    [Test]
    public async Task An_unknown_function_code_in_the_reply_is_refused()
    {
        await using var server = FirstRequestHostile((id, _, write) => write([.. Header(id, 0, 4, 1), 0x41, 0x01, 0x02]));
        Assert.That(await FirstReadThenRecovery(server, connections: 1), Is.InstanceOf<ModbusProtocolException>().With.Message.Contains("does not match request 03"));
    }

    [Test]
    public async Task A_byte_count_that_does_not_match_the_request_is_refused()
    {
        await using var server = FirstRequestHostile((id, _, write) => write([.. Header(id, 0, 7, 1), 0x03, 0x04, 0x00, 0x01, 0x00, 0x02]));
        Assert.That(await FirstReadThenRecovery(server, connections: 1), Is.InstanceOf<ModbusProtocolException>().With.Message.Contains("6 bytes, expected 4"));
    }

    [Test]
    public async Task An_exception_reply_is_a_modbus_exception_with_its_code()
    {
        await using var server = FirstRequestHostile((id, _, write) => write([.. Header(id, 0, 3, 1), 0x83, 0x02]));
        var failure = await FirstReadThenRecovery(server, connections: 1);
        Assert.That(failure, Is.InstanceOf<ModbusException>());
        Assert.That(((ModbusException)failure!).Code, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
    }

    [Test]
    public async Task A_truncated_reply_then_a_close_is_a_protocol_error()
    {
        await using var server = new ScriptedTcpServer(async (connection, stream, ct) =>
        {
            while (true)
            {
                var (id, pdu) = await ReadRequest(stream, ct);
                if (connection == 1)
                {
                    await stream.WriteAsync(Header(id, 0, 5, 1).Concat(new byte[] { 0x03, 0x02 }).ToArray(), ct);
                    return; // closes mid-frame
                }
                await stream.WriteAsync(ModbusTcpTransport.Frame(id, 1, Answers.Handle(pdu)), ct);
            }
        });
        Assert.That(await FirstReadThenRecovery(server), Is.InstanceOf<ModbusProtocolException>());
    }

    [Test]
    public async Task A_drip_feed_of_one_byte_at_a_time_ends_at_the_timeout_of_the_whole_exchange()
    {
        await using var server = FirstRequestHostile(async (id, pdu, write) =>
        {
            foreach (var b in ModbusTcpTransport.Frame(id, 1, Answers.Handle(pdu)))
            {
                await write([b]);
                await Task.Delay(500);
            }
        });
        var options = Fast with { Timeout = TimeSpan.FromSeconds(1), ReconnectDelay = TimeSpan.Zero };
        Assert.That(await FirstReadThenRecovery(server, options: options), Is.InstanceOf<TimeoutException>().With.Message.Contains("within 1 s"));
    }

    [Test]
    public async Task A_flood_of_stale_frames_ends_at_the_timeout_without_piling_up_memory()
    {
        await using var server = FirstRequestHostile(async (id, _, write) =>
        {
            var stale = ModbusTcpTransport.Frame(unchecked((ushort)(id + 1000)), 1, [0x03, 0x02, 0xDE, 0xAD]);
            var burst = Enumerable.Repeat(stale, 1000).SelectMany(f => f).ToArray();
            while (true)
            {
                await write(burst);
            }
        });
        var before = GC.GetTotalAllocatedBytes(precise: true);
        Assert.That(await FirstReadThenRecovery(server), Is.InstanceOf<TimeoutException>());
        Assert.That(GC.GetTotalAllocatedBytes(precise: true) - before, Is.LessThan(512L * 1024 * 1024), "stale frames are read and dropped one at a time");
    }
}
