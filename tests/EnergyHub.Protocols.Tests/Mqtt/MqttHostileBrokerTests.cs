using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using EnergyHub.Protocols.Mqtt;
using EnergyHub.Protocols.Tests.Support;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Protocols.Tests.Mqtt;

/// <summary>
/// A broker that lies: it drops every connection right after CONNACK, answers SUBSCRIBE with a short SUBACK, sends a
/// short PUBLISH or announces a 256 MB packet. Each is one warning line, a closed connection and a growing backoff;
/// nothing escapes the client and nothing large is allocated.
/// </summary>
public sealed partial class MqttHostileBrokerTests
{
    private static readonly byte[] ConnAck = [0x20, 0x02, 0x00, 0x00];

    /// <summary>Reads CONNECT, answers CONNACK, then does <paramref name="after"/> on each connection.</summary>
    private static ScriptedTcpServer Broker(Func<int, NetworkStream, CancellationToken, Task> after) => new(async (n, stream, ct) =>
    {
        await MqttCodec.ReadAsync(stream, 1 << 16, ct).ContinueWith(_ => { }, ct, TaskContinuationOptions.None, TaskScheduler.Default);
        await stream.WriteAsync(ConnAck, ct);
        await after(n, stream, ct);
    });

    private static MqttClient Client(ScriptedTcpServer broker, ListLogger logger) => new(new MqttClientOptions
    {
        Host = "127.0.0.1", Port = broker.Port, ClientId = "hostile-test",
        ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromSeconds(2), StableAfter = TimeSpan.FromSeconds(30),
    }, logger);

    private static List<double> Delays(ListLogger logger) => [.. logger.Lines
        .Select(l => ReconnectingIn().Match(l.Text))
        .Where(m => m.Success)
        .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"reconnecting in ([\d.]+) s")]
    private static partial Regex ReconnectingIn();

    [Test]
    public async Task A_broker_that_drops_every_connection_at_once_gets_a_growing_backoff_and_one_line_per_attempt()
    {
        await using var broker = Broker((_, _, _) => Task.CompletedTask); // CONNACK, then close
        var logger = new ListLogger();
        await using var client = Client(broker, logger);
        client.Start();

        await logger.Until(lines => Delays(logger).Count >= 5, TimeSpan.FromSeconds(30));

        var delays = Delays(logger);
        Assert.That(delays.Take(5), Is.Ordered.Ascending);
        Assert.That(delays[4], Is.GreaterThanOrEqualTo(delays[0] * 8), "a connect that is dropped at once does not reset the backoff: " + string.Join(", ", delays));
        var warningsSeen = 0;
        var betweenSecondAndThird = logger.Lines
            .Where(l => (warningsSeen += ReconnectingIn().IsMatch(l.Text) ? 1 : 0) == 2 && !ReconnectingIn().IsMatch(l.Text)).ToList();
        Assert.That(betweenSecondAndThird.Where(l => l.Level >= LogLevel.Information), Is.Empty,
            "once it flaps, a broker adds no line above Debug between two warnings: " + string.Join(" | ", betweenSecondAndThird.Select(l => l.Text)));
    }

    [TestCase("90 02 00 01", "malformed SubAck", TestName = "A short SUBACK is a protocol error")]
    [TestCase("30 01 00", "malformed Publish", TestName = "A short PUBLISH is a protocol error")]
    [TestCase("32 04 00 09 61 62", "malformed Publish", TestName = "A PUBLISH whose topic runs past its end is a protocol error")]
    [TestCase("D0 01 00", "malformed PingResp", TestName = "A PINGRESP with a body is a protocol error")]
    [TestCase("30 FF FF FF 7F", "larger than the 1048576 bytes accepted", TestName = "A 256 MB packet is refused before it is read")]
    [TestCase("50 02 00 01", "unexpected packet type 5", TestName = "A packet type a QoS 1 client never expects is a protocol error")]
    public async Task A_malformed_packet_closes_the_connection_with_one_warning(string hex, string warning)
    {
        var bytes = Hex.Parse(hex);
        await using var broker = Broker(async (_, stream, ct) =>
        {
            await stream.WriteAsync(bytes, ct);
            await Task.Delay(Timeout.Infinite, ct); // the client must be the one to hang up
        });
        var logger = new ListLogger();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await using (var client = Client(broker, logger))
        {
            client.Start();
            await logger.Until(lines => lines.Count(l => l.Level == LogLevel.Warning) >= 2, TimeSpan.FromSeconds(30));
        }

        var warnings = logger.Lines.Where(l => l.Level == LogLevel.Warning).ToList();
        Assert.That(warnings[0].Text, Does.Contain(warning));
        Assert.That(warnings.Select(w => w.Text), Has.None.Contain("Index").And.None.Contain("Exception"), "a plain line, not an exception");
        Assert.That(broker.Accepted, Is.GreaterThanOrEqualTo(2), "it reconnects after the backoff");
        Assert.That(GC.GetTotalAllocatedBytes(precise: true) - before, Is.LessThan(64L * 1024 * 1024));
    }
}
