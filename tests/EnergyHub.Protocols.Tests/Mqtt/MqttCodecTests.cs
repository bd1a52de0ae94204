using System.Text;
using System.Text.Json;
using EnergyHub.Protocols.Mqtt;
using EnergyHub.Protocols.Tests.Support;

namespace EnergyHub.Protocols.Tests.Mqtt;

/// <summary>Byte-exact packets against frames verified with mosquitto (Fixtures/mqtt-frames.json), and topic rules.</summary>
public sealed class MqttCodecTests
{
    private static readonly JsonElement Fixture =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mqtt-frames.json"))).RootElement;

    private static string Frame(string name) =>
        Fixture.GetProperty("frames").EnumerateArray().First(f => f.GetProperty("name").GetString() == name).GetProperty("hex").GetString()!;

    [Test]
    public void Remaining_lengths_match_the_spec_table()
    {
        foreach (var entry in Fixture.GetProperty("remaining_length").EnumerateObject())
        {
            Assert.That(Hex.Format(MqttCodec.RemainingLength(int.Parse(entry.Name, System.Globalization.CultureInfo.InvariantCulture))),
                Is.EqualTo(entry.Value.GetString()), entry.Name);
        }
    }

    [Test]
    public void Connect_packets_match_the_recorded_frames()
    {
        Assert.That(Hex.Format(MqttCodec.Connect(new MqttClientOptions { Host = "x", ClientId = "eh1", KeepAlive = TimeSpan.FromSeconds(60) })),
            Is.EqualTo(Frame("CONNECT minimal")));
        var full = new MqttClientOptions
        {
            Host = "x", ClientId = "energyhub-1", KeepAlive = TimeSpan.FromSeconds(30), Username = "hub", Password = "secret",
            Will = new MqttWill("eh/status", Encoding.UTF8.GetBytes("offline"), MqttQos.AtLeastOnce, Retain: true),
        };
        Assert.That(Hex.Format(MqttCodec.Connect(full)), Is.EqualTo(Frame("CONNECT full")));
    }

    [Test]
    public void Other_packets_match_the_documented_bytes()
    {
        var payload = Encoding.UTF8.GetBytes("42");
        Assert.Multiple(() =>
        {
            Assert.That(Hex.Format(MqttCodec.Publish(new MqttMessage("eh/p", payload))), Is.EqualTo("30 08 00 04 65 68 2F 70 34 32"));
            Assert.That(Hex.Format(MqttCodec.Publish(new MqttMessage("eh/p", payload, MqttQos.AtLeastOnce), 1)), Is.EqualTo("32 0A 00 04 65 68 2F 70 00 01 34 32"));
            Assert.That(Hex.Format(MqttCodec.Publish(new MqttMessage("eh/p", payload, MqttQos.AtLeastOnce), 1, duplicate: true)), Does.StartWith("3A 0A"));
            Assert.That(Hex.Format(MqttCodec.Publish(new MqttMessage("eh/status", Encoding.UTF8.GetBytes("online"), Retain: true))),
                Is.EqualTo("31 11 00 09 65 68 2F 73 74 61 74 75 73 6F 6E 6C 69 6E 65"));
            Assert.That(Hex.Format(MqttCodec.Subscribe(2, "eh/#", MqttQos.AtLeastOnce)), Is.EqualTo("82 09 00 02 00 04 65 68 2F 23 01"));
            Assert.That(Hex.Format(MqttCodec.Unsubscribe(4, "eh/#")), Is.EqualTo("A2 08 00 04 00 04 65 68 2F 23"));
            Assert.That(Hex.Format(MqttCodec.PingReq()), Is.EqualTo("C0 00"));
            Assert.That(Hex.Format(MqttCodec.Disconnect()), Is.EqualTo("E0 00"));
        });
    }

    [Test]
    public async Task An_inbound_retained_publish_parses()
    {
        var packet = await MqttCodec.ReadAsync(new MemoryStream(Hex.Parse("31 09 00 06 65 68 2F 72 65 74 52")), 1024, CancellationToken.None);
        var (message, id) = MqttCodec.ParsePublish(packet);
        Assert.That((message.Topic, message.Text, message.Retain, message.Qos, id), Is.EqualTo(("eh/ret", "R", true, MqttQos.AtMostOnce, (ushort)0)));
    }

    [Test]
    public void A_fifth_length_byte_is_malformed() =>
        Assert.That(async () => await MqttCodec.ReadAsync(new MemoryStream(Hex.Parse("30 FF FF FF FF 01")), MqttCodec.MaxRemainingLength, CancellationToken.None),
            Throws.InstanceOf<IOException>().With.Message.Contains("Remaining Length"));

    [TestCase("sport/tennis/#", "sport/tennis", true)]
    [TestCase("sport/tennis/#", "sport/tennis/player1/score", true)]
    [TestCase("sport/#", "sport", true)]
    [TestCase("#", "a/b/c", true)]
    [TestCase("#", "$SYS/broker/uptime", false)]
    [TestCase("+/broker/uptime", "$SYS/broker/uptime", false)]
    [TestCase("$SYS/#", "$SYS/broker/uptime", true)]
    [TestCase("sport/+", "sport/", true)]
    [TestCase("sport/+", "sport", false)]
    [TestCase("+/+", "/finance", true)]
    [TestCase("+", "/finance", false)]
    [TestCase("sport/+/player1", "sport/tennis/player1", true)]
    [TestCase("+/tennis/#", "sport/tennis", true)]
    [TestCase("eh/+/power", "eh/grid/l1/power", false)]
    [TestCase("eh/grid", "eh/Grid", false)]
    public void Filters_match_topics_as_the_spec_says(string filter, string topic, bool expected) =>
        Assert.That(MqttTopic.Matches(filter, topic), Is.EqualTo(expected));

    [TestCase("a/#/b")]
    [TestCase("a#")]
    [TestCase("a+/c")]
    [TestCase("")]
    public void Invalid_filters_are_refused_before_sending(string filter) => Assert.That(MqttTopic.FilterProblem(filter), Is.Not.Null);

    [TestCase("eh/+/power")]
    [TestCase("eh/#")]
    [TestCase("")]
    public void Topics_with_wildcards_cannot_be_published_to(string topic) => Assert.That(MqttTopic.TopicProblem(topic), Is.Not.Null);
}
