using CsCheck;
using EnergyHub.Protocols.Modbus;
using EnergyHub.Protocols.Pi30;
using EnergyHub.Protocols.Serial;

namespace EnergyHub.Protocols.Tests.Fuzz;

/// <summary>
/// Every decoder of bytes from a device or a broker, fed random input: it either decodes or throws its declared
/// exception (a protocol or format error), never another one, never hangs, never allocates beyond its bounds.
/// </summary>
public sealed class DecoderFuzzTests
{
    private const int Iterations = 5000;
    private static readonly Gen<byte[]> Bytes = Gen.Byte.Array[0, 300];

    /// <summary>Random PI30-looking text: the right prefix and separators, random fields.</summary>
    private static readonly Gen<string> Pi30Text = Gen.OneOf(
        Gen.String[0, 200],
        Gen.OneOf("0", "1", "000.0", "-1", "99999999999999999999", "", " ", "NAK", "VERFW:", "00000000", "1e308", "NaN", ".", "(")
            .Array[0, 30].Select(fields => string.Join(' ', fields)));

    [Test]
    public void A_modbus_response_pdu_is_checked_or_refused()
    {
        var request = Gen.OneOf(
            Gen.Select(Gen.UShort, Gen.Int[1, 125]).Select(t => ModbusPdu.Read(ModbusPdu.ReadHoldingRegisters, t.Item1, t.Item2)),
            Gen.Select(Gen.UShort, Gen.UShort).Select(t => ModbusPdu.WriteSingle(t.Item1, t.Item2)),
            Gen.Select(Gen.UShort, Gen.UShort.Array[1, 10]).Select(t => ModbusPdu.WriteMultiple(t.Item1, t.Item2)));
        Gen.Select(request, Bytes).Sample((req, response) =>
        {
            try
            {
                ModbusPdu.Check(req, response);
                if (req[0] == ModbusPdu.ReadHoldingRegisters)
                {
                    Assert.That(ModbusPdu.Registers(response), Has.Length.EqualTo((response.Length - 2) / 2));
                }
            }
            catch (Exception ex) when (ex is ModbusException or ModbusProtocolException)
            {
            }
        }, iter: Iterations);
    }

    [Test]
    public void A_modbus_rtu_reply_is_read_or_refused_within_its_frame()
    {
        Gen.Select(Gen.Int[1, 125], Bytes).Sample((count, wire) =>
        {
            using var stream = new ScriptedStream(wire);
            var transport = new ModbusRtuTransport(stream, new SerialSettings(115200), TimeSpan.FromSeconds(5));
            try
            {
                var pdu = transport.SendAsync(1, ModbusPdu.Read(ModbusPdu.ReadHoldingRegisters, 0, count), CancellationToken.None).GetAwaiter().GetResult();
                Assert.That(pdu.Length, Is.LessThanOrEqualTo(wire.Length));
            }
            catch (Exception ex) when (ex is ModbusProtocolException or EndOfStreamException)
            {
            }
        }, iter: Iterations);
    }

    [Test]
    public void A_pi30_frame_is_read_or_refused_as_a_format_error()
    {
        Bytes.Sample(frame =>
        {
            try
            {
                EnergyHub.Protocols.Pi30.Pi30.Payload(frame, out _);
            }
            catch (FormatException)
            {
            }
        }, iter: Iterations);
    }

    [Test]
    public void Pi30_replies_parse_or_are_refused_as_format_errors()
    {
        Pi30Text.Sample(payload =>
        {
            foreach (var parse in new Action<string>[]
                     {
                         p => Qpigs.Parse(p), p => Pi30Replies.ParseRatings(p), p => Pi30Replies.ActiveWarnings(p), p => Pi30Replies.Mode(p),
                         p => Pi30Replies.SerialNumber(p), p => Pi30Replies.FirmwareVersion(p), p => Pi30Setters.ParseAllowedCurrents(p),
                     })
            {
                try
                {
                    parse(payload);
                }
                catch (FormatException)
                {
                }
            }
        }, iter: Iterations);
    }

    /// <summary>A serial line whose peer answers with <c>wire</c> whatever is asked, then stays silent (end of stream).</summary>
    private sealed class ScriptedStream(byte[] wire) : MemoryStream(wire, writable: false)
    {
        public override bool CanWrite => true;

        public override void Write(byte[] buffer, int offset, int count)
        {
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
