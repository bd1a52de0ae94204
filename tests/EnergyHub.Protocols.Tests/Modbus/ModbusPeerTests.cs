using EnergyHub.TestSupport;
using System.Net;
using System.Text.Json;
using EnergyHub.Protocols.Modbus;
using EnergyHub.Protocols.Serial;
using EnergyHub.Protocols.Tests.Support;

namespace EnergyHub.Protocols.Tests.Modbus;

/// <summary>Our Modbus code against independent implementations: pymodbus (server and client) and mbpoll.</summary>
public sealed class ModbusPeerTests
{
    private const string Python = "/usr/bin/python3";

    private static async Task<Peer> PymodbusServer(params string[] args)
    {
        var server = Peer.Start(Python, [Peer.Script("modbus_server.py"), .. args]);
        await server.WaitFor("READY");
        return server;
    }

    private static ModbusTcpServer OurServer(out ModbusRegisterMap map)
    {
        map = new ModbusRegisterMap(holdingCount: 1000, inputCount: 1000);
        map.SetHolding(0, 0x04D2, 0xFF38, 0x0001, 0xE240, 0xFFFE, 0x1DC0, 0x4148, 0x0000);
        map.SetInput(0, 0x0903);
        return new ModbusTcpServer(map, new IPEndPoint(IPAddress.Loopback, 0)).Start();
    }

    [Test]
    public async Task Our_tcp_client_reads_writes_and_gets_exceptions_from_pymodbus()
    {
        var port = Peer.FreePort();
        using var server = await PymodbusServer("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using var transport = new ModbusTcpTransport("127.0.0.1", port);
        var client = new ModbusClient(transport);

        var holding = await client.ReadHoldingRegistersAsync(1, 0, 8, CancellationToken.None);
        var input = await client.ReadInputRegistersAsync(1, 0, 1, CancellationToken.None);
        await client.WriteSingleRegisterAsync(1, 10, 300, CancellationToken.None);
        await client.WriteMultipleRegistersAsync(1, 11, new ushort[] { 0x000A, 0x0102 }, CancellationToken.None);
        var back = await client.ReadHoldingRegistersAsync(1, 10, 3, CancellationToken.None);
        var ex = Assert.ThrowsAsync<ModbusException>(() => client.ReadHoldingRegistersAsync(1, 500, 1, CancellationToken.None));

        Assert.That(holding, Is.EqualTo(new ushort[] { 0x04D2, 0xFF38, 0x0001, 0xE240, 0xFFFE, 0x1DC0, 0x4148, 0x0000 }));
        Assert.That(Registers.F32(holding, 6), Is.EqualTo(12.5f));
        Assert.That(input, Is.EqualTo(new ushort[] { 2307 }));
        Assert.That(back, Is.EqualTo(new ushort[] { 300, 0x000A, 0x0102 }));
        Assert.That(ex!.Code, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
        Assert.That(transport.Connects, Is.EqualTo(1), "an exception response is an answer, not a broken link");
    }

    [Test]
    public async Task Our_server_answers_a_pymodbus_client()
    {
        await using var server = OurServer(out var map);
        var writes = new List<(ushort, ushort[])>();
        map.Written = (address, values) => writes.Add((address, values));

        var (code, output) = await Peer.Run(Python, Peer.Script("modbus_client.py"), "--port", server.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(code, Is.Zero, output);
        var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        Assert.That(result.GetProperty("hr0_8").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 1234, 65336, 1, 57920, 65534, 7616, 16712, 0 }));
        Assert.That(result.GetProperty("ir0_2").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 2307, 0 }));
        Assert.That(result.GetProperty("hr20_4").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 4321, 7, 8, 9 }));
        Assert.That(result.GetProperty("bad_address_exception").GetInt32(), Is.EqualTo(2));
        Assert.That(writes.Select(w => w.Item1), Is.EqualTo(new ushort[] { 20, 21 }));
    }

    [Test]
    public async Task Our_server_answers_mbpoll()
    {
        await using var server = OurServer(out var map);
        var port = server.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // mbpoll numbers registers from 1 unless -0 is given; -1 polls once; -t 4 = holding, -t 3 = input, -B big-endian words.
        var (readCode, read) = await Peer.Run("mbpoll", "-m", "tcp", "-p", port, "-a", "1", "-0", "-r", "0", "-c", "2", "-t", "4", "-1", "127.0.0.1");
        var (floatCode, floats) = await Peer.Run("mbpoll", "-m", "tcp", "-p", port, "-a", "1", "-0", "-r", "6", "-c", "1", "-t", "4:float", "-B", "-1", "127.0.0.1");
        var (writeCode, write) = await Peer.Run("mbpoll", "-m", "tcp", "-p", port, "-a", "1", "-0", "-r", "30", "-t", "4", "127.0.0.1", "777", "888");

        Assert.That(readCode, Is.Zero, read);
        Assert.That(read, Does.Contain("[0]: \t1234").And.Contain("[1]: \t65336 (-200)"));
        Assert.That(floatCode, Is.Zero, floats);
        Assert.That(floats, Does.Contain("[6]: \t12.5"));
        Assert.That(writeCode, Is.Zero, write);
        Assert.That(map.GetHolding(30, 2), Is.EqualTo(new ushort[] { 777, 888 }));
    }

    [Test]
    public async Task Our_rtu_client_talks_to_pymodbus_over_a_serial_line()
    {
        using var pty = await PtyPair.Create();
        using var server = await PymodbusServer("--serial", pty.B, "--baud", "9600");
        var line = new SerialSettings(9600);
        await using var transport = new ModbusRtuTransport(SerialLine.Open(pty.A, line), line, TimeSpan.FromSeconds(2));
        var client = new ModbusClient(transport);

        var holding = await client.ReadHoldingRegistersAsync(1, 0, 4, CancellationToken.None);
        await client.WriteSingleRegisterAsync(1, 10, 300, CancellationToken.None);
        await client.WriteMultipleRegistersAsync(1, 11, new ushort[] { 5, 6 }, CancellationToken.None);
        var back = await client.ReadHoldingRegistersAsync(1, 10, 3, CancellationToken.None);
        var ex = Assert.ThrowsAsync<ModbusException>(() => client.ReadHoldingRegistersAsync(1, 500, 1, CancellationToken.None));

        Assert.That(holding, Is.EqualTo(new ushort[] { 1234, 0xFF38, 1, 0xE240 }));
        Assert.That(back, Is.EqualTo(new ushort[] { 300, 5, 6 }));
        Assert.That(ex!.Code, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
        Assert.That(transport.FrameGap.TotalMilliseconds, Is.EqualTo(3.5 * 10 / 9600 * 1000).Within(0.001), "8N1: 10 bits a character");
    }
}
