using EnergyHub.TestSupport;
using EnergyHub.Protocols.Pi30;
using System.Diagnostics;
using EnergyHub.Protocols.Serial;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.Axpert.Tests;

public sealed class RepliesAndLinkTests
{
    private static byte[] Fixture(string name) =>
        Convert.FromHexString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)).Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Trim());

    [Test]
    public void Recorded_qpiri_qpiws_and_qmchgcr_replies_decode()
    {
        var ratings = Pi30Replies.ParseRatings(Pi30.Payload(Fixture("qpiri_mppsolar.hex"), out var ok1));
        var warnings = Pi30Replies.ActiveWarnings(Pi30.Payload(Fixture("qpiws_mppsolar.hex"), out var ok2));
        var currents = Pi30Setters.ParseAllowedCurrents(Pi30.Payload(Fixture("qmchgcr_mppsolar.hex"), out var ok3));

        Assert.That(ok1 && ok2 && ok3, Is.True);
        Assert.That((ratings.BatteryRatingV, ratings.BulkV, ratings.FloatV, ratings.MaxChargingCurrentA), Is.EqualTo((48.0, 56.4, 54.0, 10.0)));
        Assert.That(warnings, Is.EqualTo(new[] { ("line fail", false), ("over load", false) }), "over load is a warning while the inverter-fault bit is clear");
        Assert.That(currents, Does.Contain(10).And.Contain(120));
        Assert.That(Pi30Replies.Mode("B"), Is.EqualTo("battery"));
        Assert.That(Pi30Replies.Mode("Z"), Is.EqualTo("unknown (Z)"));
    }

    [Test]
    public void Recorded_qid_and_qvfw_replies_decode()
    {
        Assert.That(Pi30Replies.SerialNumber(Pi30.Payload(Fixture("qid_mppsolar.hex"), out var idCrc)), Is.EqualTo("9293333010501"));
        Assert.That(Pi30Replies.FirmwareVersion(Pi30.Payload(Fixture("qvfw_mppsolar.hex"), out var fwCrc)), Is.EqualTo("00072.70"));
        Assert.That((idCrc, fwCrc), Is.EqualTo((true, true)));
        Assert.That(() => Pi30Replies.FirmwareVersion("NAK"), Throws.InstanceOf<FormatException>());
    }

    [Test]
    public void Setters_refuse_values_the_inverter_does_not_accept_before_sending()
    {
        Assert.That(Pi30Setters.FloatVoltage(54, 48), Is.EqualTo("PBFT54.0"));
        Assert.That(Pi30Setters.BulkVoltage(27.1, 24), Is.EqualTo("PCVV27.1"));
        Assert.That(Pi30Setters.MaxChargingCurrent(30, [10, 20, 30]), Is.EqualTo("MCHGC030"));
        Assert.That(Pi30Setters.MaxChargingCurrent(110, [100, 110]), Is.EqualTo("MNCHGC0110"));
        Assert.That(Pi30Setters.ChargerPriority(3), Is.EqualTo("PCP03"));
        Assert.That(() => Pi30Setters.FloatVoltage(60, 48), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("48.0–58.4 V"));
        Assert.That(() => Pi30Setters.MaxChargingCurrent(25, [10, 20, 30]), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("10, 20, 30"));
        Assert.That(() => Pi30Setters.OutputPriority(3), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    private static readonly SerialSettings Line = new(2400);

    internal static async Task<byte[]> Request(Stream inverter)
    {
        var request = new List<byte>();
        var one = new byte[1];
        while (request.Count == 0 || request[^1] != 0x0D)
        {
            await inverter.ReadExactlyAsync(one);
            request.Add(one[0]);
        }
        return [.. request];
    }

    [Test]
    public async Task A_query_is_framed_on_the_wire_and_a_bad_crc_is_retried()
    {
        using var wire = new SocatPty();
        using var inverter = SerialLine.Open(wire.B, Line);
        await using var link = new AxpertLink(() => SerialLine.Open(wire.A, Line), TimeSpan.FromSeconds(2), NullLogger.Instance);
        var good = Fixture("qpigs_frame.hex");
        var bad = good.ToArray();
        bad[^2] ^= 0x55;

        var device = Task.Run(async () =>
        {
            var first = await Request(inverter);
            await inverter.WriteAsync(bad);
            await Request(inverter);
            await inverter.WriteAsync(good);
            return first;
        });
        var payload = await link.QueryAsync("QPIGS", CancellationToken.None);

        Assert.That(Convert.ToHexString(await device), Is.EqualTo("5150494753B7A90D"));
        Assert.That(Qpigs.Parse(payload).PvChargingPowerW, Is.EqualTo(844));
    }

    [Test]
    public async Task A_device_silent_mid_reply_times_out_and_a_nak_to_a_setter_is_an_error()
    {
        using var wire = new SocatPty();
        using var inverter = SerialLine.Open(wire.B, Line);
        await using var link = new AxpertLink(() => SerialLine.Open(wire.A, Line), TimeSpan.FromMilliseconds(300), NullLogger.Instance);

        var silent = Task.Run(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                await Request(inverter);
                await inverter.WriteAsync("(000.0 00.0"u8.ToArray()); // and nothing more
            }
        });
        Assert.That(async () => await link.QueryAsync("QPIGS", CancellationToken.None),
            Throws.InstanceOf<IOException>().With.Message.Contains("no valid reply after 3 attempts"));
        await silent;

        var nak = Task.Run(async () =>
        {
            await Request(inverter);
            await inverter.WriteAsync(Fixture("nak.hex"));
        });
        Assert.That(async () => await link.SetAsync("PBFT54.0", CancellationToken.None),
            Throws.InstanceOf<IOException>().With.Message.Contains("refused PBFT54.0 (NAK)"));
        await nak;
    }
}
