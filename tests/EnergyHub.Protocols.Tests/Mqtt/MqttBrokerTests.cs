using EnergyHub.TestSupport;
using System.Collections.Concurrent;
using System.Text;
using EnergyHub.Protocols.Mqtt;
using EnergyHub.Protocols.Tests.Support;

namespace EnergyHub.Protocols.Tests.Mqtt;

/// <summary>Our client against a real mosquitto, cross-checked with mosquitto_pub and mosquitto_sub.</summary>
public sealed class MqttBrokerTests
{
    private Broker _broker = null!;
    private readonly List<MqttClient> _clients = [];

    [SetUp]
    public async Task StartBroker() => _broker = await Broker.Start();

    [TearDown]
    public async Task StopBroker()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
        _clients.Clear();
        _broker.Dispose();
    }

    private MqttClient Client(string id, Func<MqttClientOptions, MqttClientOptions>? change = null, bool start = true)
    {
        var options = new MqttClientOptions
        {
            Host = "127.0.0.1", Port = _broker.Port, ClientId = id, ReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
        };
        var client = new MqttClient(change?.Invoke(options) ?? options);
        _clients.Add(client);
        if (start)
        {
            client.Start();
        }
        return client;
    }

    private static async Task Connected(MqttClient client) =>
        await client.WaitUntilConnectedAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

    private static CancellationToken Soon => new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token;

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
        var client = Client("retain");
        var received = new TaskCompletionSource<MqttMessage>();
        await client.SubscribeAsync("eh/ret", MqttQos.AtLeastOnce, m => { received.TrySetResult(m); return Task.CompletedTask; }, Soon);
        var message = await received.Task.WaitAsync(Soon);
        Assert.That((message.Text, message.Retain), Is.EqualTo(("R", true)));

        await client.PublishAsync(new MqttMessage("eh/status", Encoding.UTF8.GetBytes("online"), MqttQos.AtLeastOnce, Retain: true)).WaitAsync(Soon);
        using var sub = Sub("-t", "eh/status", "-C", "1", "-W", "10", "-v");
        Assert.That((await Finish(sub)).Trim(), Is.EqualTo("eh/status online"));
    }

    [Test]
    public async Task The_last_will_fires_when_the_client_dies_and_not_when_it_says_goodbye()
    {
        using var watcher = Sub("-t", "eh/will/+", "-v", "-W", "15");
        await Task.Delay(300);
        var dying = Client("dying", o => o with { Will = new MqttWill("eh/will/dying", Encoding.UTF8.GetBytes("offline"), Retain: false) });
        var polite = Client("polite", o => o with { Will = new MqttWill("eh/will/polite", Encoding.UTF8.GetBytes("offline"), Retain: false) });
        await Connected(dying);
        await Connected(polite);

        await polite.DisposeAsync();
        _clients.Remove(polite);
        await dying.AbortAsync();
        await Task.Delay(1000);

        Assert.That(watcher.Output, Does.Contain("eh/will/dying offline"));
        Assert.That(watcher.Output, Does.Not.Contain("eh/will/polite"));
    }

    /// <summary>Makes a persistent QoS 1 session for <paramref name="id"/> at the broker, which then queues its messages while it is away.</summary>
    private async Task PersistentSubscriber(string id, string topic)
    {
        using var sub = Sub("-t", topic, "-q", "1", "-c", "-i", id, "-W", "1");
        await Finish(sub);
    }

    [Test]
    public async Task Qos1_messages_survive_a_broker_restart()
    {
        await PersistentSubscriber("persistent-sub", "eh/q1");
        var client = Client("qos1-pub");
        await Connected(client);
        var before = Enumerable.Range(0, 20).Select(i => client.PublishAsync(new MqttMessage("eh/q1", Encoding.UTF8.GetBytes($"m{i}"), MqttQos.AtLeastOnce))).ToList();
        await Task.WhenAll(before).WaitAsync(Soon);

        await _broker.Stop();
        var during = Enumerable.Range(20, 20).Select(i => client.PublishAsync(new MqttMessage("eh/q1", Encoding.UTF8.GetBytes($"m{i}"), MqttQos.AtLeastOnce))).ToList();
        await Task.Delay(300);
        Assert.That(client.IsConnected, Is.False);
        Assert.That(during.Any(t => t.IsCompleted), Is.False, "nothing is acknowledged while the broker is down");
        await _broker.Restart();
        await Task.WhenAll(during).WaitAsync(Soon);

        using var sub = Sub("-t", "eh/q1", "-q", "1", "-c", "-i", "persistent-sub", "-C", "40", "-W", "15");
        var lines = (await Finish(sub)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.EquivalentTo(Enumerable.Range(0, 40).Select(i => $"m{i}")));
        Assert.That(client.Connects, Is.EqualTo(2));
    }

    [Test]
    public async Task Wildcards_route_messages_and_dollar_topics_stay_out_of_hash()
    {
        var client = Client("router");
        var plus = new ConcurrentQueue<string>();
        var hash = new ConcurrentQueue<string>();
        var sys = new TaskCompletionSource<string>();
        await client.SubscribeAsync("eh/+/power", MqttQos.AtMostOnce, m => { plus.Enqueue(m.Topic); return Task.CompletedTask; }, Soon);
        await client.SubscribeAsync("#", MqttQos.AtMostOnce, m => { hash.Enqueue(m.Topic); return Task.CompletedTask; }, Soon);
        await client.SubscribeAsync("$SYS/broker/uptime", MqttQos.AtMostOnce, m => { sys.TrySetResult(m.Topic); return Task.CompletedTask; }, Soon);

        foreach (var topic in new[] { "eh/grid/power", "eh/grid/l1/power", "eh/pv/power", "other" })
        {
            await Pub("-t", topic, "-m", "1");
        }
        await sys.Task.WaitAsync(Soon);
        await Task.Delay(200);

        Assert.That(plus, Is.EqualTo(new[] { "eh/grid/power", "eh/pv/power" }));
        Assert.That(hash, Is.EqualTo(new[] { "eh/grid/power", "eh/grid/l1/power", "eh/pv/power", "other" }), "# never sees $SYS");
        Assert.That(() => client.SubscribeAsync("a/#/b", MqttQos.AtMostOnce, _ => Task.CompletedTask, Soon), Throws.ArgumentException);
    }

    [Test]
    public async Task After_unsubscribing_nothing_more_arrives()
    {
        var client = Client("unsub");
        var received = new ConcurrentQueue<string>();
        await client.SubscribeAsync("eh/u", MqttQos.AtLeastOnce, m => { received.Enqueue(m.Text); return Task.CompletedTask; }, Soon);
        await Pub("-t", "eh/u", "-q", "1", "-m", "first");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (received.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await client.UnsubscribeAsync("eh/u", Soon);
        await Pub("-t", "eh/u", "-q", "1", "-m", "second");
        await Task.Delay(300);

        Assert.That(received, Is.EqualTo(new[] { "first" }));
    }

    [Test]
    public async Task A_256_KiB_payload_arrives_intact()
    {
        var payload = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 262_144 / 8).Select(i => (i % 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture))));
        var receiver = Client("big-rx");
        var received = new TaskCompletionSource<MqttMessage>();
        await receiver.SubscribeAsync("eh/big", MqttQos.AtLeastOnce, m => { received.TrySetResult(m); return Task.CompletedTask; }, Soon);
        using var sub = Sub("-t", "eh/big", "-C", "1", "-W", "15");
        await Task.Delay(300);

        var sender = Client("big-tx");
        await sender.PublishAsync(new MqttMessage("eh/big", payload, MqttQos.AtLeastOnce)).WaitAsync(Soon);

        Assert.That((await received.Task.WaitAsync(Soon)).Payload.ToArray(), Is.EqualTo(payload));
        Assert.That((await Finish(sub)).TrimEnd('\n'), Is.EqualTo(Encoding.ASCII.GetString(payload)));
    }

    [Test]
    public async Task Ten_thousand_messages_arrive_in_order()
    {
        const int count = 10_000;
        using var sub = Sub("-t", "eh/seq", "-q", "1", "-C", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "-W", "60");
        var receiver = Client("seq-rx");
        var received = new List<string>();
        var all = new TaskCompletionSource();
        await receiver.SubscribeAsync("eh/seq", MqttQos.AtLeastOnce, m =>
        {
            received.Add(m.Text);
            if (received.Count == count)
            {
                all.TrySetResult();
            }
            return Task.CompletedTask;
        }, Soon);
        await Task.Delay(300);

        var sender = Client("seq-tx");
        var sends = Enumerable.Range(0, count).Select(i => sender.PublishAsync(new MqttMessage("eh/seq", Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), MqttQos.AtLeastOnce))).ToList();
        await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(60));
        await all.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var expected = Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(received, Is.EqualTo(expected));
        Assert.That((await Finish(sub)).Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(expected));
    }

    [Test]
    public async Task While_offline_publishing_never_blocks_and_a_full_queue_drops_the_oldest()
    {
        await PersistentSubscriber("offline-sub", "eh/offline");
        await _broker.Stop();
        var client = Client("offline", o => o with { MaxQueuedMessages = 100 });
        var started = Environment.TickCount64;
        var sends = Enumerable.Range(0, 105).Select(i => client.PublishAsync(new MqttMessage("eh/offline", Encoding.ASCII.GetBytes($"{i}"), MqttQos.AtLeastOnce))).ToList();
        Assert.That(Environment.TickCount64 - started, Is.LessThan(1000), "105 publishes return at once");
        Assert.That(client.Queued, Is.EqualTo(100));
        Assert.That(client.Dropped, Is.EqualTo(5));
        Assert.That(sends.Take(5).Select(t => t.Exception?.InnerException), Is.All.InstanceOf<MqttMessageDroppedException>());

        await _broker.Restart();
        await Task.WhenAll(sends.Skip(5)).WaitAsync(Soon);
        using var sub = Sub("-t", "eh/offline", "-q", "1", "-c", "-i", "offline-sub", "-C", "100", "-W", "15");
        Assert.That((await Finish(sub)).Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Is.EqualTo(Enumerable.Range(5, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))), "the 5 oldest were dropped, the rest arrive in order");
    }

    [Test]
    public async Task After_a_reconnect_subscriptions_are_made_again_and_keep_alive_holds_an_idle_link()
    {
        var client = Client("resub", o => o with { KeepAlive = TimeSpan.FromSeconds(1) });
        var received = new ConcurrentQueue<string>();
        await client.SubscribeAsync("eh/resub", MqttQos.AtLeastOnce, m => { received.Enqueue(m.Text); return Task.CompletedTask; }, Soon);
        await Task.Delay(2500);
        Assert.That(client.Connects, Is.EqualTo(1), "pings keep an idle connection alive past 1.5 x keep-alive");

        await _broker.Stop();
        _broker.Dispose();
        _broker = await Broker.Start(_broker.Port);
        await Connected(client);
        await Task.Delay(300);
        await Pub("-t", "eh/resub", "-m", "again");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (received.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.That(received, Is.EqualTo(new[] { "again" }));
        Assert.That(client.Connects, Is.EqualTo(2));
    }

    [Test]
    public async Task Tls_connects_to_a_broker_with_a_self_signed_certificate_only_when_allowed()
    {
        using var tlsBroker = await Broker.Start(tls: true);
        var options = new MqttClientOptions
        {
            Host = "127.0.0.1", Port = tlsBroker.Port, ClientId = "tls", UseTls = true,
            ReconnectDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        };
        await using var trusting = new MqttClient(options with { AllowUntrustedCertificate = true });
        trusting.Start();
        await Connected(trusting);
        await trusting.PublishAsync(new MqttMessage("eh/tls", Encoding.UTF8.GetBytes("secret"), MqttQos.AtLeastOnce)).WaitAsync(Soon);

        await using var strict = new MqttClient(options with { ClientId = "strict" });
        strict.Start();
        await Task.Delay(1000);
        Assert.That(strict.IsConnected, Is.False, "an untrusted certificate is refused by default");
        Assert.That(strict.Connects, Is.Zero);
    }
}
