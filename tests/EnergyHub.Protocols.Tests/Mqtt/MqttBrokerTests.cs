using System.Collections.Concurrent;
using System.Text;
using EnergyHub.Protocols.Mqtt;
using EnergyHub.Protocols.Tests.Support;
using EnergyHub.TestSupport;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Protocols.Tests.Mqtt;

/// <summary>Our bus (MQTTnet underneath) against a real mosquitto, cross-checked with mosquitto_pub and mosquitto_sub.</summary>
public sealed class MqttBrokerTests
{
    private Broker _broker = null!;
    private readonly List<MqttBus> _buses = [];

    [SetUp]
    public async Task StartBroker() => _broker = await Broker.Start();

    [TearDown]
    public async Task StopBroker()
    {
        foreach (var bus in _buses)
        {
            await bus.DisposeAsync();
        }
        _buses.Clear();
        _broker.Dispose();
    }

    private async Task<MqttBus> Connected(string id, Func<MqttBusOptions, MqttBusOptions>? change = null, ILogger? logger = null, int? port = null)
    {
        var options = new MqttBusOptions
        {
            Host = "127.0.0.1", Port = port ?? _broker.Port, ClientId = id, ReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
        };
        var bus = new MqttBus(change?.Invoke(options) ?? options, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _buses.Add(bus);
        bus.Start();
        if (logger is null)
        {
            await bus.WaitConnectedAsync(Soon);
        }
        return bus;
    }

    private static CancellationToken Soon => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    private static MqttMessage Message(string topic, string text, MqttQos qos = MqttQos.AtLeastOnce, bool retain = false) =>
        new(topic, Encoding.UTF8.GetBytes(text), qos, retain);

    private Peer Sub(params string[] args) => Peer.Start("mosquitto_sub", ["-h", "127.0.0.1", "-p", _broker.PortText, .. args]);

    private Task<(int, string)> Pub(params string[] args) => Peer.Run("mosquitto_pub", ["-h", "127.0.0.1", "-p", _broker.PortText, .. args]);

    private static async Task<string> Finish(Peer peer)
    {
        Assert.That(await peer.WaitForExit(TimeSpan.FromSeconds(60)), Is.True, $"mosquitto_sub did not finish:\n{peer.Output}");
        return peer.Output;
    }

    [Test]
    public async Task Retained_messages_go_both_ways()
    {
        await Pub("-r", "-t", "eh/ret", "-m", "R");
        var bus = await Connected("retain");
        var received = new TaskCompletionSource<MqttMessage>();
        await bus.SubscribeAsync("eh/ret", m => { received.TrySetResult(m); return Task.CompletedTask; }, Soon);
        var message = await received.Task.WaitAsync(Soon);
        Assert.That((message.Text, message.Retain), Is.EqualTo(("R", true)));

        Assert.That(await bus.PublishAsync(Message("eh/status", "online", retain: true), Soon), Is.True);
        using var sub = Sub("-t", "eh/status", "-C", "1", "-W", "10", "-v");
        Assert.That((await Finish(sub)).Trim(), Is.EqualTo("eh/status online"));
    }

    /// <summary>Makes a persistent QoS 1 session for <paramref name="id"/> at the broker, which then queues its messages while it is away.</summary>
    private async Task PersistentSubscriber(string id, string topic)
    {
        using var sub = Sub("-t", topic, "-q", "1", "-c", "-i", id, "-W", "1");
        await Finish(sub);
    }

    [Test]
    public async Task Qos1_publishes_wait_while_the_broker_is_down_and_all_arrive_after_it_restarts()
    {
        await PersistentSubscriber("persistent-sub", "eh/q1");
        var bus = await Connected("qos1-pub");
        for (var i = 0; i < 20; i++)
        {
            await bus.PublishAsync(Message("eh/q1", $"m{i}"), Soon);
        }

        await _broker.Stop();
        await Eventually.Until(() => !bus.IsConnected, "the bus saw the broker go");
        var during = Enumerable.Range(20, 20).Select(i => bus.PublishAsync(Message("eh/q1", $"m{i}"), Soon)).ToList();
        Assert.That(during.Any(t => t.IsCompleted), Is.False, "nothing is acknowledged while the broker is down, and nothing is dropped");
        await _broker.Restart();
        Assert.That(await Task.WhenAll(during).WaitAsync(Soon), Is.All.True);

        using var sub = Sub("-t", "eh/q1", "-q", "1", "-c", "-i", "persistent-sub", "-C", "40", "-W", "15");
        var lines = (await Finish(sub)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.EquivalentTo(Enumerable.Range(0, 40).Select(i => $"m{i}")));
        Assert.That(bus.Connections, Is.EqualTo(2));
    }

    [Test]
    public async Task Qos0_while_the_broker_is_down_is_dropped_and_counted_without_waiting()
    {
        var bus = await Connected("qos0");
        await _broker.Stop();
        await Eventually.Until(() => !bus.IsConnected, "the bus saw the broker go");

        Assert.That(await bus.PublishAsync(Message("eh/q0", "lost", MqttQos.AtMostOnce), Soon), Is.False);
        Assert.That(bus.Dropped, Is.EqualTo(1));
    }

    [Test]
    public async Task Wildcards_route_messages_and_dollar_topics_stay_out_of_hash()
    {
        var bus = await Connected("router");
        var plus = new ConcurrentQueue<string>();
        var hash = new ConcurrentQueue<string>();
        var sys = new TaskCompletionSource<string>();
        await bus.SubscribeAsync("eh/+/power", m => { plus.Enqueue(m.Topic); return Task.CompletedTask; }, Soon);
        await bus.SubscribeAsync("#", m => { hash.Enqueue(m.Topic); return Task.CompletedTask; }, Soon);
        await bus.SubscribeAsync("$SYS/broker/uptime", m => { sys.TrySetResult(m.Topic); return Task.CompletedTask; }, Soon);

        foreach (var topic in new[] { "eh/grid/power", "eh/grid/l1/power", "eh/pv/power", "other" })
        {
            await Pub("-t", topic, "-q", "1", "-m", "1");
        }
        await sys.Task.WaitAsync(Soon);
        await Eventually.Until(() => hash.Count >= 4, "# saw the four topics");

        Assert.That(plus, Is.EqualTo(new[] { "eh/grid/power", "eh/pv/power" }));
        Assert.That(hash, Is.EqualTo(new[] { "eh/grid/power", "eh/grid/l1/power", "eh/pv/power", "other" }), "# never sees $SYS");
    }

    [Test]
    public async Task A_256_KiB_payload_arrives_intact()
    {
        var payload = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 262_144 / 8).Select(i => (i % 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture))));
        var receiver = await Connected("big-rx");
        var received = new TaskCompletionSource<MqttMessage>();
        await receiver.SubscribeAsync("eh/big", m => { received.TrySetResult(m); return Task.CompletedTask; }, Soon);

        var sender = await Connected("big-tx");
        await sender.PublishAsync(new MqttMessage("eh/big", payload, MqttQos.AtLeastOnce), Soon);

        Assert.That((await received.Task.WaitAsync(Soon)).Payload.ToArray(), Is.EqualTo(payload));
    }

    [Test]
    public async Task A_python_paho_client_gets_our_qos1_messages_in_order_and_its_retained_reply_reaches_us()
    {
        const int count = 500;
        using var paho = Peer.Start("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Peers", "paho_peer.py"), "--port", _broker.PortText,
            "--topic", "eh/paho/in", "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--reply-topic", "eh/paho/out", "--reply", "thanks"]);
        await paho.WaitFor("READY", TimeSpan.FromSeconds(20));
        var bus = await Connected("paho-partner");
        for (var i = 0; i < count; i++)
        {
            await bus.PublishAsync(Message("eh/paho/in", $"m{i}"), Soon);
        }
        Assert.That(await paho.WaitForExit(TimeSpan.FromSeconds(60)), Is.True, paho.Output);

        var reply = new TaskCompletionSource<MqttMessage>();
        await bus.SubscribeAsync("eh/paho/out", m => { reply.TrySetResult(m); return Task.CompletedTask; }, Soon);
        var lines = paho.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l != "READY").ToList();
        Assert.That(lines, Is.EqualTo(Enumerable.Range(0, count).Select(i => $"m{i}")));
        Assert.That((await reply.Task.WaitAsync(Soon)) is { Text: "thanks", Retain: true });
    }

    [Test]
    public async Task Ten_thousand_qos1_messages_arrive_in_order_none_dropped()
    {
        const int count = 10_000;
        var receiver = await Connected("seq-rx");
        var received = new List<string>();
        var all = new TaskCompletionSource();
        await receiver.SubscribeAsync("eh/seq", m =>
        {
            received.Add(m.Text);
            if (received.Count == count)
            {
                all.TrySetResult();
            }
            return Task.CompletedTask;
        }, Soon);

        var sender = await Connected("seq-tx");
        for (var i = 0; i < count; i++)
        {
            await sender.PublishAsync(Message("eh/seq", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Soon);
        }
        await all.Task.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(received, Is.EqualTo(Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.That(sender.Dropped, Is.Zero);
    }

    [Test]
    public async Task After_a_broker_restart_subscriptions_are_made_again_and_owners_hear_of_the_reconnect()
    {
        var bus = await Connected("resub");
        var received = new ConcurrentQueue<string>();
        var reconnected = new TaskCompletionSource();
        bus.Connected += () => { reconnected.TrySetResult(); return Task.CompletedTask; };
        await bus.SubscribeAsync("eh/resub", m => { received.Enqueue(m.Text); return Task.CompletedTask; }, Soon);

        await _broker.Stop();
        await _broker.Restart();
        await reconnected.Task.WaitAsync(Soon);
        await Pub("-t", "eh/resub", "-q", "1", "-m", "again");
        await Eventually.Until(() => !received.IsEmpty, "the message after the restart arrived");

        Assert.That(received, Is.EqualTo(new[] { "again" }));
        Assert.That(bus.Connections, Is.EqualTo(2));
    }

    [Test]
    public async Task A_broker_that_refuses_the_user_is_reported_as_refusing_not_as_unreachable()
    {
        using var closed = await Broker.Start(anonymous: false);
        var log = new ListLogger();
        var refused = await Connected("no-user", o => o with { Username = "energyhub", Password = "wrong" }, log, closed.Port);

        await log.Until(lines => lines.Any(l => l.Text.Contains("MQTT:", StringComparison.Ordinal)), TimeSpan.FromSeconds(20));
        var line = log.Lines.First(l => l.Text.Contains("MQTT:", StringComparison.Ordinal)).Text;
        Assert.That(line, Does.Contain("refused the user or password").And.Contain("Check [Mqtt] User and Password"), line);
        Assert.That(line, Does.Not.Contain("cannot reach"));
        Assert.That(refused.IsConnected, Is.False);
    }

    [Test]
    public async Task Tls_trusts_the_brokers_certificate_only_through_its_authority_or_when_told_to_accept_any()
    {
        using var tlsBroker = await Broker.Start(tls: true);
        MqttBusOptions Tls(MqttBusOptions o) => o with { UseTls = true };
        var withAuthority = await Connected("tls-ca", o => Tls(o) with { CaFile = tlsBroker.CertificateFile }, port: tlsBroker.Port);
        var trusting = await Connected("tls-any", o => Tls(o) with { AllowUntrustedCertificate = true }, port: tlsBroker.Port);
        var log = new ListLogger();
        var strict = await Connected("tls-strict", Tls, log, tlsBroker.Port);

        Assert.That(await withAuthority.PublishAsync(Message("eh/tls", "secret"), Soon), Is.True);
        Assert.That(await trusting.PublishAsync(Message("eh/tls", "secret"), Soon), Is.True);
        await log.Until(lines => lines.Any(l => l.Text.Contains("cannot reach", StringComparison.Ordinal)), TimeSpan.FromSeconds(20));
        Assert.That(strict.IsConnected, Is.False, "a certificate no trusted authority signed is refused by default");
        Assert.That(strict.Connections, Is.Zero);
    }
}
