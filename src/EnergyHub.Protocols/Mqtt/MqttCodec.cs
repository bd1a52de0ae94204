using System.Buffers.Binary;
using System.Text;

namespace EnergyHub.Protocols.Mqtt;

/// <summary>Packet types of MQTT 3.1.1.</summary>
public enum MqttPacketType : byte
{
    /// <summary>Client asks to connect.</summary>
    Connect = 1,
    /// <summary>Broker answers CONNECT.</summary>
    ConnAck = 2,
    /// <summary>A message, either way.</summary>
    Publish = 3,
    /// <summary>QoS 1 acknowledgement.</summary>
    PubAck = 4,
    /// <summary>Subscribe.</summary>
    Subscribe = 8,
    /// <summary>Broker answers SUBSCRIBE.</summary>
    SubAck = 9,
    /// <summary>Unsubscribe.</summary>
    Unsubscribe = 10,
    /// <summary>Broker answers UNSUBSCRIBE.</summary>
    UnsubAck = 11,
    /// <summary>Keep-alive ping.</summary>
    PingReq = 12,
    /// <summary>Broker answers PINGREQ.</summary>
    PingResp = 13,
    /// <summary>Clean goodbye: the broker discards the will.</summary>
    Disconnect = 14,
}

/// <summary>One packet as read off the wire: its type, the four flag bits and the rest.</summary>
/// <param name="Type">The packet type.</param>
/// <param name="Flags">The low four bits of the first byte.</param>
/// <param name="Body">Variable header and payload.</param>
public sealed record MqttPacket(MqttPacketType Type, byte Flags, byte[] Body)
{
    /// <summary>The packet identifier at the start of the body (PUBACK, SUBACK, UNSUBACK).</summary>
    public ushort PacketId => BinaryPrimitives.ReadUInt16BigEndian(Body);
}

/// <summary>Encodes the packets a client sends and decodes what a broker sends (MQTT 3.1.1).</summary>
public static class MqttCodec
{
    /// <summary>Largest Remaining Length MQTT allows (256 MB).</summary>
    public const int MaxRemainingLength = 268_435_455;

    /// <summary>The 1–4 byte varint of a Remaining Length.</summary>
    public static byte[] RemainingLength(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxRemainingLength);
        var bytes = new List<byte>(4);
        do
        {
            var digit = (byte)(value % 128);
            value /= 128;
            bytes.Add(value > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (value > 0);
        return [.. bytes];
    }

    /// <summary>CONNECT with the options' client id, session, keep-alive, will and credentials.</summary>
    public static byte[] Connect(MqttClientOptions options)
    {
        var body = new PacketWriter();
        body.String("MQTT");
        body.Byte(4);
        byte flags = 0;
        if (options.CleanSession)
        {
            flags |= 0x02;
        }
        if (options.Will is { } will)
        {
            flags |= (byte)(0x04 | ((byte)will.Qos << 3) | (will.Retain ? 0x20 : 0));
        }
        if (options.Username is not null)
        {
            flags |= 0x80;
            if (options.Password is not null)
            {
                flags |= 0x40;
            }
        }
        body.Byte(flags);
        body.UInt16((ushort)options.KeepAlive.TotalSeconds);
        body.String(options.ClientId);
        if (options.Will is { } w)
        {
            body.String(w.Topic);
            body.Binary(w.Payload.Span);
        }
        if (options.Username is not null)
        {
            body.String(options.Username);
            if (options.Password is not null)
            {
                body.String(options.Password);
            }
        }
        return body.Packet(0x10);
    }

    /// <summary>PUBLISH; <paramref name="packetId"/> only for QoS 1; <paramref name="duplicate"/> when re-sending.</summary>
    public static byte[] Publish(MqttMessage message, ushort packetId = 0, bool duplicate = false)
    {
        var body = new PacketWriter();
        body.String(message.Topic);
        if (message.Qos != MqttQos.AtMostOnce)
        {
            body.UInt16(packetId);
        }
        body.Raw(message.Payload.Span);
        var first = (byte)(0x30 | ((byte)message.Qos << 1) | (message.Retain ? 1 : 0) | (duplicate && message.Qos != MqttQos.AtMostOnce ? 0x08 : 0));
        return body.Packet(first);
    }

    /// <summary>PUBACK for an inbound QoS 1 PUBLISH.</summary>
    public static byte[] PubAck(ushort packetId) => [0x40, 0x02, (byte)(packetId >> 8), (byte)packetId];

    /// <summary>SUBSCRIBE to one filter.</summary>
    public static byte[] Subscribe(ushort packetId, string filter, MqttQos qos)
    {
        var body = new PacketWriter();
        body.UInt16(packetId);
        body.String(filter);
        body.Byte((byte)qos);
        return body.Packet(0x82);
    }

    /// <summary>UNSUBSCRIBE from one filter.</summary>
    public static byte[] Unsubscribe(ushort packetId, string filter)
    {
        var body = new PacketWriter();
        body.UInt16(packetId);
        body.String(filter);
        return body.Packet(0xA2);
    }

    /// <summary>PINGREQ.</summary>
    public static byte[] PingReq() => [0xC0, 0x00];

    /// <summary>DISCONNECT.</summary>
    public static byte[] Disconnect() => [0xE0, 0x00];

    /// <summary>
    /// Reads one packet of at most <paramref name="maxPacketBytes"/> bytes and checks its shape; throws
    /// <see cref="EndOfStreamException"/> when the stream ends, <see cref="MqttProtocolException"/> when the packet is
    /// malformed or too large (before its body is allocated).
    /// </summary>
    public static async Task<MqttPacket> ReadAsync(Stream stream, int maxPacketBytes, CancellationToken cancellationToken)
    {
        var one = new byte[1];
        await stream.ReadExactlyAsync(one, cancellationToken).ConfigureAwait(false);
        var first = one[0];
        var length = 0;
        var multiplier = 1;
        for (var i = 0; ; i++)
        {
            if (i == 4)
            {
                throw new MqttProtocolException("malformed Remaining Length (more than 4 bytes)");
            }
            await stream.ReadExactlyAsync(one, cancellationToken).ConfigureAwait(false);
            length += (one[0] & 0x7F) * multiplier;
            multiplier *= 128;
            if ((one[0] & 0x80) == 0)
            {
                break;
            }
        }
        var type = (MqttPacketType)(first >> 4);
        if (length > maxPacketBytes)
        {
            throw new MqttProtocolException($"a {type} of {length} bytes is larger than the {maxPacketBytes} bytes accepted");
        }
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        var packet = new MqttPacket(type, (byte)(first & 0x0F), body);
        Check(packet);
        return packet;
    }

    /// <summary>Throws <see cref="MqttProtocolException"/> unless <paramref name="packet"/> has the shape its type requires of a broker's packet.</summary>
    public static void Check(MqttPacket packet)
    {
        var length = packet.Body.Length;
        var valid = packet.Type switch
        {
            MqttPacketType.ConnAck or MqttPacketType.PubAck or MqttPacketType.UnsubAck => length == 2,
            MqttPacketType.SubAck => length >= 3,
            MqttPacketType.PingResp => length == 0,
            MqttPacketType.Publish => length >= 2 && 2 + BinaryPrimitives.ReadUInt16BigEndian(packet.Body) + (((packet.Flags >> 1) & 3) > 0 ? 2 : 0) <= length,
            _ => true, // the client says which types it does not expect
        };
        if (!valid)
        {
            throw new MqttProtocolException($"malformed {packet.Type} from the broker ({length} bytes: {Convert.ToHexString(packet.Body.AsSpan(0, Math.Min(length, 16)))})");
        }
    }

    /// <summary>The message carried by an inbound PUBLISH (checked by <see cref="Check"/>), and its packet id (0 for QoS 0).</summary>
    public static (MqttMessage Message, ushort PacketId) ParsePublish(MqttPacket packet)
    {
        Check(packet);
        var qos = (packet.Flags >> 1) & 0x03;
        if (qos > 1)
        {
            throw new MqttProtocolException($"inbound PUBLISH with QoS {qos}; EnergyHub subscribes with at most QoS 1");
        }
        var topicLength = BinaryPrimitives.ReadUInt16BigEndian(packet.Body);
        var topic = Encoding.UTF8.GetString(packet.Body, 2, topicLength);
        var offset = 2 + topicLength;
        ushort packetId = 0;
        if (qos == 1)
        {
            packetId = BinaryPrimitives.ReadUInt16BigEndian(packet.Body.AsSpan(offset));
            offset += 2;
        }
        return (new MqttMessage(topic, packet.Body.AsMemory(offset), (MqttQos)qos, (packet.Flags & 0x01) != 0), packetId);
    }

    private sealed class PacketWriter
    {
        private readonly MemoryStream _body = new();

        public void Byte(byte value) => _body.WriteByte(value);

        public void UInt16(ushort value)
        {
            _body.WriteByte((byte)(value >> 8));
            _body.WriteByte((byte)value);
        }

        public void String(string value) => Binary(Encoding.UTF8.GetBytes(value));

        public void Binary(ReadOnlySpan<byte> value)
        {
            if (value.Length > 65535)
            {
                throw new ArgumentException("MQTT strings and binary fields hold at most 65535 bytes.");
            }
            UInt16((ushort)value.Length);
            _body.Write(value);
        }

        public void Raw(ReadOnlySpan<byte> value) => _body.Write(value);

        public byte[] Packet(byte first)
        {
            var length = RemainingLength((int)_body.Length);
            var packet = new byte[1 + length.Length + _body.Length];
            packet[0] = first;
            length.CopyTo(packet, 1);
            _body.GetBuffer().AsSpan(0, (int)_body.Length).CopyTo(packet.AsSpan(1 + length.Length));
            return packet;
        }
    }
}

/// <summary>A broker sent something that is not MQTT 3.1.1 as this client speaks it: the connection is closed and retried after the backoff.</summary>
public sealed class MqttProtocolException(string message) : IOException(message);
