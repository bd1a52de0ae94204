using System.Text;

namespace EnergyHub.Protocols.Pi30;

/// <summary>
/// PI30 framing: ASCII command + CRC (high, low) + CR; replies are "(" + payload + CRC + CR. The CRC is
/// CRC-16/XMODEM with Voltronic's adjustment: a CRC byte equal to '(' , CR or LF is sent plus one.
/// </summary>
public static class Pi30
{
    /// <summary>CRC-16/XMODEM (poly 0x1021, init 0, no reflection).</summary>
    public static ushort Xmodem(ReadOnlySpan<byte> data)
    {
        ushort crc = 0;
        foreach (var b in data)
        {
            crc ^= (ushort)(b << 8);
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }
        return crc;
    }

    /// <summary>The two CRC bytes as sent: high, low, each bumped by one if it is '(' (0x28), CR or LF.</summary>
    public static (byte High, byte Low) Crc(ReadOnlySpan<byte> data)
    {
        var crc = Xmodem(data);
        static byte Adjust(byte b) => b is 0x28 or 0x0D or 0x0A ? (byte)(b + 1) : b;
        return (Adjust((byte)(crc >> 8)), Adjust((byte)crc));
    }

    /// <summary>The request frame for <paramref name="command"/>, e.g. "QPIGS" or "PBFT53.0".</summary>
    public static byte[] Frame(string command)
    {
        var ascii = Encoding.ASCII.GetBytes(command);
        var (high, low) = Crc(ascii);
        return [.. ascii, high, low, 0x0D];
    }

    /// <summary>
    /// The payload of a reply frame (without "(", CRC and CR). <paramref name="crcValid"/> says whether the CRC
    /// matched, in the adjusted or the plain form (firmwares differ; a mismatch is reported, and the caller decides).
    /// </summary>
    /// <exception cref="FormatException">Not a PI30 reply: no "(", or shorter than "(" + CRC + CR.</exception>
    public static string Payload(ReadOnlySpan<byte> frame, out bool crcValid)
    {
        var end = frame.IndexOf((byte)0x0D);
        if (end < 0)
        {
            throw new FormatException("reply has no CR terminator");
        }
        var body = frame[..end];
        if (body.Length < 3 || body[0] != (byte)'(')
        {
            throw new FormatException($"reply does not start with '(' or is too short: {Convert.ToHexString(body)}");
        }
        var data = body[..^2];
        var (high, low) = (body[^2], body[^1]);
        var raw = Xmodem(data);
        var adjusted = Crc(data);
        crcValid = (high == adjusted.High && low == adjusted.Low) || (high == (byte)(raw >> 8) && low == (byte)raw);
        return Encoding.ASCII.GetString(data[1..]);
    }

    /// <summary>Whether a setter's reply payload is ACK.</summary>
    public static bool IsAck(string payload) => payload == "ACK";
}
