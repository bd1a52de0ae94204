namespace EnergyHub.Protocols.Modbus;

/// <summary>How a device orders the 16-bit registers of a 32-bit value. Bytes within a register are always big-endian.</summary>
public enum WordOrder
{
    /// <summary>"ABCD": the high word in the first register (the usual order).</summary>
    HighWordFirst,
    /// <summary>"CDAB": the low word in the first register (e.g. Shelly Pro 3EM).</summary>
    LowWordFirst,
}

/// <summary>Decodes and encodes register values.</summary>
public static class Registers
{
    /// <summary>Register <paramref name="index"/> as unsigned.</summary>
    public static ushort U16(ReadOnlySpan<ushort> registers, int index) => registers[index];

    /// <summary>Register <paramref name="index"/> as two's-complement signed.</summary>
    public static short S16(ReadOnlySpan<ushort> registers, int index) => unchecked((short)registers[index]);

    /// <summary>Registers <paramref name="index"/> and the next as an unsigned 32-bit value.</summary>
    public static uint U32(ReadOnlySpan<ushort> registers, int index, WordOrder order = WordOrder.HighWordFirst)
    {
        var (high, low) = order == WordOrder.HighWordFirst
            ? (registers[index], registers[index + 1])
            : (registers[index + 1], registers[index]);
        return ((uint)high << 16) | low;
    }

    /// <summary>Registers <paramref name="index"/> and the next as a signed 32-bit value.</summary>
    public static int S32(ReadOnlySpan<ushort> registers, int index, WordOrder order = WordOrder.HighWordFirst) =>
        unchecked((int)U32(registers, index, order));

    /// <summary>Registers <paramref name="index"/> and the next as an IEEE 754 float.</summary>
    public static float F32(ReadOnlySpan<ushort> registers, int index, WordOrder order = WordOrder.HighWordFirst) =>
        BitConverter.Int32BitsToSingle(S32(registers, index, order));

    /// <summary><paramref name="raw"/> × 10^<paramref name="decimalExponent"/>, e.g. 2307 with −1 → 230.7.</summary>
    public static double Scale(double raw, int decimalExponent) =>
        decimalExponent >= 0 ? raw * Math.Pow(10, decimalExponent) : raw / Math.Pow(10, -decimalExponent);

    /// <summary>The two registers of a 32-bit value in <paramref name="order"/>.</summary>
    public static ushort[] FromU32(uint value, WordOrder order = WordOrder.HighWordFirst)
    {
        var (high, low) = ((ushort)(value >> 16), (ushort)(value & 0xFFFF));
        return order == WordOrder.HighWordFirst ? [high, low] : [low, high];
    }

    /// <summary>The two registers of a signed 32-bit value in <paramref name="order"/>.</summary>
    public static ushort[] FromS32(int value, WordOrder order = WordOrder.HighWordFirst) => FromU32(unchecked((uint)value), order);
}
