using System.Text;
using System.Text.Json;
using EnergyHub.Protocols.Pi30;
using EnergyHub.Protocols.Serial;
using EnergyHub.TestSupport;

namespace EnergyHub.Tests;

/// <summary><c>energyhub axpert</c> against a scripted inverter on the other end of a socat pty pair.</summary>
public sealed class AxpertCommandTests
{
    private static byte[] Fixture(string name) => Convert.FromHexString(
        string.Concat(File.ReadAllText(Path.Combine(EnergyHubCli.RepoRoot, "tests", "EnergyHub.Plugins.Axpert.Tests", "Fixtures", name)).Where(char.IsAsciiHexDigit)));

    /// <summary>Answers each request from <paramref name="replies"/> and records what was asked, until the CLI exits.</summary>
    private static async Task<(int Code, string Out, string Err, List<string> Asked)> RunAgainstInverter(Dictionary<string, byte[]> replies, params string[] args)
    {
        using var pty = new SocatPty();
        using var inverter = SerialLine.Open(pty.B, new SerialSettings(2400));
        var asked = new List<string>();
        using var stop = new CancellationTokenSource();
        var device = Task.Run(async () =>
        {
            var one = new byte[1];
            var request = new List<byte>();
            while (!stop.IsCancellationRequested)
            {
                await inverter.ReadExactlyAsync(one, stop.Token);
                request.Add(one[0]);
                if (one[0] == 0x0D)
                {
                    var command = Encoding.ASCII.GetString([.. request], 0, request.Count - 3);
                    request.Clear();
                    asked.Add(command);
                    await inverter.WriteAsync(replies.TryGetValue(command, out var reply) ? reply : Fixture("nak.hex"), stop.Token);
                }
            }
        });
        var (code, output, errors) = await EnergyHubCli.Run([.. args, "--transport", "serial", "--device", pty.A, "--timeout", "1"]);
        await stop.CancelAsync();
        await Task.WhenAny(device, Task.Delay(1000));
        return (code, output, errors, asked);
    }

    [Test]
    public async Task Status_prints_the_decoded_qpigs_fields_as_json()
    {
        var (code, output, errors, asked) = await RunAgainstInverter(new() { ["QPIGS"] = Fixture("qpigs_frame.hex") }, "axpert", "status", "--json");

        Assert.That(code, Is.Zero, errors);
        Assert.That(asked, Is.EqualTo(new[] { "QPIGS" }));
        var status = JsonDocument.Parse(output).RootElement;
        Assert.That(status.GetProperty("BatteryVoltageV").GetDouble(), Is.EqualTo(52.8));
        Assert.That(status.GetProperty("AcOutputActivePowerW").GetDouble(), Is.EqualTo(221));
        Assert.That(status.GetProperty("LoadOn").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Ratings_and_warnings_print_tables()
    {
        var ratings = await RunAgainstInverter(new() { ["QPIRI"] = Fixture("qpiri_mppsolar.hex") }, "axpert", "ratings");
        var warnings = await RunAgainstInverter(new() { ["QPIWS"] = Fixture("qpiws_mppsolar.hex") }, "axpert", "warnings", "--json");

        Assert.That(ratings.Code, Is.Zero, ratings.Err);
        Assert.That(ratings.Out, Does.Contain("FloatV").And.Contain("54"));
        Assert.That(warnings.Code, Is.Zero, warnings.Err);
        Assert.That(JsonDocument.Parse(warnings.Out).RootElement.ValueKind, Is.EqualTo(JsonValueKind.Array));
    }

    [Test]
    public async Task Info_prints_the_serial_number_and_the_firmware_version()
    {
        var (code, output, errors, asked) = await RunAgainstInverter(
            new() { ["QID"] = Fixture("qid_mppsolar.hex"), ["QVFW"] = Fixture("qvfw_mppsolar.hex") }, "axpert", "info", "--json");

        Assert.That(code, Is.Zero, errors);
        Assert.That(asked, Is.EqualTo(new[] { "QID", "QVFW" }));
        var info = JsonDocument.Parse(output).RootElement;
        Assert.That((info.GetProperty("SerialNumber").GetString(), info.GetProperty("FirmwareVersion").GetString()), Is.EqualTo(("9293333010501", "00072.70")));
    }

    [Test]
    public async Task Send_checks_a_float_voltage_against_the_rating_before_sending_it()
    {
        var replies = new Dictionary<string, byte[]> { ["QPIRI"] = Fixture("qpiri_mppsolar.hex"), ["PBFT53.0"] = Fixture("ack.hex") };
        var good = await RunAgainstInverter(replies, "axpert", "send", "PBFT", "53.0");
        var tooHigh = await RunAgainstInverter(replies, "axpert", "send", "PBFT", "70.0");
        var unknown = await RunAgainstInverter(replies, "axpert", "send", "QXYZ");
        var noValue = await RunAgainstInverter(replies, "axpert", "send", "PBFT", "53,0");

        Assert.That(good.Code, Is.Zero, good.Err);
        Assert.That(good.Asked, Is.EqualTo(new[] { "QPIRI", "PBFT53.0" }));
        Assert.That(good.Out, Does.Contain("ACK"));
        Assert.That(tooHigh.Code, Is.EqualTo(1));
        Assert.That(tooHigh.Asked, Is.EqualTo(new[] { "QPIRI" }), "nothing but the rating query reached the inverter");
        Assert.That(tooHigh.Err, Does.Contain("Nothing was sent"));
        Assert.That(unknown.Code, Is.EqualTo(1));
        Assert.That(unknown.Err, Does.Contain("NAK"));
        Assert.That((noValue.Code, noValue.Asked.Count), Is.EqualTo((1, 0)));
        Assert.That(noValue.Err, Does.Contain("needs a voltage"));
    }
}
