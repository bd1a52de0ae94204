using System.Text;
using EnergyHub.Protocols.Modbus;
using EnergyHub.Protocols.Serial;
using EnergyHub.Protocols.Tests.Support;

namespace EnergyHub.Protocols.Tests.Serial;

/// <summary>The serial line (System.IO.Ports) and our hidraw stream on socat pty pairs, which stand in for the wire.</summary>
public sealed class SerialLineTests
{
    private static readonly SerialSettings Axpert = new(2400);

    private static async Task<byte[]> ReadExactly(Stream stream, int count, int timeoutMs = 3000)
    {
        var buffer = new byte[count];
        using var cts = new CancellationTokenSource(timeoutMs);
        await stream.ReadExactlyAsync(buffer, cts.Token);
        return buffer;
    }

    [Test]
    public async Task Every_byte_passes_unchanged_in_raw_mode_both_ways()
    {
        using var pty = await PtyPair.Create();
        using var a = SerialLine.Open(pty.A, Axpert);
        using var b = SerialLine.Open(pty.B, Axpert);
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(); // includes CR, LF, XON/XOFF, DEL, ^C

        await a.WriteAsync(all);
        var received = await ReadExactly(b, all.Length);
        await b.WriteAsync("(ACK9 \r"u8.ToArray());
        var reply = await ReadExactly(a, 7);

        Assert.That(received, Is.EqualTo(all));
        Assert.That(Encoding.ASCII.GetString(reply), Is.EqualTo("(ACK9 \r"));
        Assert.That(a.Settings.ToString(), Is.EqualTo("2400 8N1"));
    }

    [Test]
    public async Task A_silent_peer_times_out_synchronously_and_cancels_asynchronously()
    {
        using var pty = await PtyPair.Create();
        using var a = SerialLine.Open(pty.A, new SerialSettings(9600, Parity: Parity.Even));
        using var b = SerialLine.Open(pty.B, new SerialSettings(9600, Parity: Parity.Even));
        a.ReadTimeout = 200;

        var started = Environment.TickCount64;
        Assert.Throws<TimeoutException>(() => a.ReadExactly(new byte[1]));
        Assert.That(Environment.TickCount64 - started, Is.GreaterThanOrEqualTo(190));

        using var cts = new CancellationTokenSource(200);
        Assert.That(async () => await a.ReadAsync(new byte[1], cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task A_peer_that_hangs_up_is_an_io_error()
    {
        var pty = await PtyPair.Create();
        using var a = SerialLine.Open(pty.A, Axpert);
        pty.Dispose();
        Assert.That(async () => await ReadExactly(a, 1), Throws.InstanceOf<IOException>().With.Message.Contains("hung up"));
    }

    [Test]
    public void A_missing_device_says_what_to_check() =>
        Assert.That(() => SerialLine.Open("/dev/ttyNOPE9", Axpert), Throws.InstanceOf<IOException>().With.Message.Contains("does not exist").And.Message.Contains("/dev/serial/by-id"));

    [Test]
    public async Task Rtu_reports_garbage_as_a_crc_error_and_a_peer_silent_mid_frame_as_a_timeout()
    {
        using var pty = await PtyPair.Create();
        var line = new SerialSettings(9600);
        using var device = SerialLine.Open(pty.B, line);
        await using var transport = new ModbusRtuTransport(SerialLine.Open(pty.A, line), line, TimeSpan.FromSeconds(2)); // generous: a loaded CI machine is slow to schedule the peer
        var client = new ModbusClient(transport);

        var garbage = Task.Run(async () =>
        {
            await ReadExactly(device, 8);
            await device.WriteAsync(new byte[] { 0x01, 0x03, 0x02, 0x04, 0xD2, 0xFF, 0xFF }); // right shape, wrong CRC
        });
        Assert.That(async () => await client.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None),
            Throws.InstanceOf<ModbusProtocolException>().With.Message.Contains("CRC"));
        await garbage;

        var half = Task.Run(async () =>
        {
            await ReadExactly(device, 8);
            await device.WriteAsync(new byte[] { 0x01, 0x03, 0x02 }); // then nothing
        });
        Assert.That(async () => await client.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None),
            Throws.InstanceOf<TimeoutException>().With.Message.Contains("2000 ms"));
        await half;

        var good = Task.Run(async () =>
        {
            var request = await ReadExactly(device, 8);
            Assert.That(Hex.Format(request), Is.EqualTo("01 03 00 00 00 01 84 0A"));
            await device.WriteAsync(Hex.Parse("01 03 02 04 D2 3A D9"));
        });
        Assert.That(await client.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None), Is.EqualTo(new ushort[] { 1234 }),
            "stale bytes from the failed exchanges are discarded before the next request");
        await good;
    }

    [Test]
    public async Task Hidraw_writes_8_byte_zero_padded_reports_and_reads_until_the_terminator()
    {
        using var pty = await PtyPair.Create();
        using var hid = HidrawStream.Open(pty.A, gapBetweenReports: TimeSpan.FromMilliseconds(5));
        using var inverter = SerialLine.Open(pty.B, Axpert);

        await hid.WriteAsync(Hex.Parse("50 42 46 54 35 33 2E 30 12 4D 0D")); // PBFT53.0 + CRC + CR, 11 bytes
        var reports = await ReadExactly(inverter, 16);
        await inverter.WriteAsync(Hex.Parse("28 41 43 4B 39 20 0D 00")); // (ACK + CRC + CR + padding
        var frame = await hid.ReadFrameAsync(0x0D, 256, new CancellationTokenSource(3000).Token);

        Assert.That(Hex.Format(reports), Is.EqualTo("50 42 46 54 35 33 2E 30 12 4D 0D 00 00 00 00 00"));
        Assert.That(Hex.Format(frame), Is.EqualTo("28 41 43 4B 39 20 0D"));
    }
}
