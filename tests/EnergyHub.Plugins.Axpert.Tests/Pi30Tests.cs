using EnergyHub.Protocols.Pi30;
using System.Text;
using System.Text.Json;

namespace EnergyHub.Plugins.Axpert.Tests;

public sealed class Pi30Tests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)).Trim();

    private static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));

    [Test]
    public void Xmodem_has_its_check_value() => Assert.That(Pi30.Xmodem("123456789"u8), Is.EqualTo(0x31C3));

    // Worked frames from the protocol doc, including the three adjusted cases ('(' and LF bumped by one).
    [TestCase("QPIGS", "51 50 49 47 53 B7 A9 0D")]
    [TestCase("QMOD", "51 4D 4F 44 49 C1 0D")]
    [TestCase("QPIWS", "51 50 49 57 53 B4 DA 0D")]
    [TestCase("PBFT53.0", "50 42 46 54 35 33 2E 30 12 4D 0D")]
    [TestCase("PBFT57.5", "50 42 46 54 35 37 2E 35 9E 29 0D")]
    [TestCase("PCVV57.0", "50 43 56 56 35 37 2E 30 29 EB 0D")]
    [TestCase("MCHGC056", "4D 43 48 47 43 30 35 36 29 24 0D")]
    [TestCase("POP02", "50 4F 50 30 32 E2 0B 0D")]
    [TestCase("PBFT48.8", "50 42 46 54 34 38 2E 38 15 00 0D")]
    public void Request_frames_match_the_documented_bytes(string command, string frame) =>
        Assert.That(Convert.ToHexString(Pi30.Frame(command)), Is.EqualTo(frame.Replace(" ", "", StringComparison.Ordinal)));

    [Test]
    public void Ack_and_nak_replies_carry_valid_crcs()
    {
        Assert.That(Pi30.Payload(Hex(Fixture("ack.hex")), out var ackValid), Is.EqualTo("ACK"));
        Assert.That(Pi30.Payload(Hex(Fixture("nak.hex")), out var nakValid), Is.EqualTo("NAK"));
        Assert.That(ackValid && nakValid, Is.True);
        Assert.That(Pi30.IsAck("ACK") && !Pi30.IsAck("NAK"), Is.True);
    }

    [Test]
    public void A_reply_with_a_wrong_crc_is_reported_and_a_truncated_one_refused()
    {
        var frame = Hex(Fixture("ack.hex"));
        frame[^2] ^= 0xFF;
        Pi30.Payload(frame, out var valid);
        Assert.That(valid, Is.False);
        Assert.That(() => Pi30.Payload("(AC"u8.ToArray(), out _), Throws.InstanceOf<FormatException>().With.Message.Contains("CR"));
        Assert.That(() => Pi30.Payload("NAK\r"u8.ToArray(), out _), Throws.InstanceOf<FormatException>());
    }

    [Test]
    public void The_recorded_qpigs_line_decodes_field_by_field()
    {
        var payload = Pi30.Payload(Hex(Fixture("qpigs_frame.hex")), out var crcValid);
        Assert.That(crcValid, Is.True);
        Assert.That("(" + payload, Is.EqualTo(Fixture("qpigs.txt")));

        var q = Qpigs.Parse(payload);
        var expected = JsonDocument.Parse(Fixture("qpigs.expected.json")).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(q.AcOutputVoltageV, Is.EqualTo(expected.GetProperty("acOutputVoltageV").GetDouble()));
            Assert.That(q.AcOutputActivePowerW, Is.EqualTo(expected.GetProperty("acOutputActivePowerW").GetDouble()));
            Assert.That(q.BatteryVoltageV, Is.EqualTo(expected.GetProperty("batteryVoltageV").GetDouble()));
            Assert.That(q.BatteryChargingCurrentA, Is.EqualTo(expected.GetProperty("batteryChargingCurrentA").GetDouble()));
            Assert.That(q.BatteryCapacityPct, Is.EqualTo(expected.GetProperty("batteryCapacityPct").GetDouble()));
            Assert.That(q.PvInputVoltageV, Is.EqualTo(expected.GetProperty("pvInputVoltageV").GetDouble()));
            Assert.That(q.PvChargingPowerW, Is.EqualTo(expected.GetProperty("pvChargingPowerW").GetDouble()));
            Assert.That(q.LoadOn, Is.EqualTo(expected.GetProperty("deviceStatus").GetProperty("loadOn").GetBoolean()));
            Assert.That(q.ChargingOn && q.SccChargingOn && !q.AcChargingOn, Is.True, "b2 b1 b0 = 110: charging from solar");
            Assert.That(q.ChargingToFloat, Is.False);
            var sdk = expected.GetProperty("energyHub");
            var reading = q.ToReading(DateTimeOffset.UnixEpoch);
            Assert.That(reading.Inverter!.PvPowerW, Is.EqualTo(sdk.GetProperty("pvPowerW").GetDouble()));
            Assert.That(reading.Battery!.PowerW, Is.EqualTo(sdk.GetProperty("batteryPowerW").GetDouble()), "+ charging: 11 A × 52.8 V");
            Assert.That(reading.Load!.PowerW, Is.EqualTo(sdk.GetProperty("loadPowerW").GetDouble()));
        });
    }

    [Test]
    public void A_garbled_qpigs_line_is_a_format_error() =>
        Assert.That(() => Qpigs.Parse("000.0 00.0 230.0 50.0 0322 0221 006 425 52.80 011 100 0040 0016 100.6 52.78 00000 0111x110"),
            Throws.InstanceOf<FormatException>().With.Message.Contains("8 bits"));
}
