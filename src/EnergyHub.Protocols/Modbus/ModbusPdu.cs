using System.Buffers.Binary;

namespace EnergyHub.Protocols.Modbus;

/// <summary>Builds request PDUs and checks response PDUs for the function codes EnergyHub uses (03, 04, 06, 16).</summary>
public static class ModbusPdu
{
    /// <summary>FC 03.</summary>
    public const byte ReadHoldingRegisters = 0x03;
    /// <summary>FC 04.</summary>
    public const byte ReadInputRegisters = 0x04;
    /// <summary>FC 06.</summary>
    public const byte WriteSingleRegister = 0x06;
    /// <summary>FC 16.</summary>
    public const byte WriteMultipleRegisters = 0x10;
    /// <summary>Most registers one FC 03/04 request may read.</summary>
    public const int MaxReadRegisters = 125;
    /// <summary>Most registers one FC 16 request may write.</summary>
    public const int MaxWriteRegisters = 123;

    /// <summary>True for a request that changes registers (FC 06, FC 16).</summary>
    public static bool IsWrite(ReadOnlySpan<byte> request) => request.Length > 0 && request[0] is WriteSingleRegister or WriteMultipleRegisters;

    /// <summary>FC 03 or 04: read <paramref name="count"/> registers from <paramref name="address"/>.</summary>
    public static byte[] Read(byte function, ushort address, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxReadRegisters);
        var pdu = new byte[5];
        pdu[0] = function;
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(1), address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(3), (ushort)count);
        return pdu;
    }

    /// <summary>FC 06: write one register.</summary>
    public static byte[] WriteSingle(ushort address, ushort value)
    {
        var pdu = new byte[5];
        pdu[0] = WriteSingleRegister;
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(1), address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(3), value);
        return pdu;
    }

    /// <summary>FC 16: write consecutive registers.</summary>
    public static byte[] WriteMultiple(ushort address, ReadOnlySpan<ushort> values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(values.Length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(values.Length, MaxWriteRegisters);
        var pdu = new byte[6 + values.Length * 2];
        pdu[0] = WriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(1), address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(3), (ushort)values.Length);
        pdu[5] = (byte)(values.Length * 2);
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(6 + i * 2), values[i]);
        }
        return pdu;
    }

    /// <summary>Length of the normal response PDU to <paramref name="request"/>; an exception response is 2 bytes.</summary>
    public static int ResponseLength(ReadOnlySpan<byte> request) => request[0] switch
    {
        ReadHoldingRegisters or ReadInputRegisters => 2 + 2 * BinaryPrimitives.ReadUInt16BigEndian(request[3..]),
        WriteSingleRegister or WriteMultipleRegisters => 5,
        _ => throw new NotSupportedException($"Function {request[0]:X2} is not supported."),
    };

    /// <summary>Throws <see cref="ModbusException"/> for an exception response, <see cref="ModbusProtocolException"/> for a malformed one.</summary>
    public static void Check(ReadOnlySpan<byte> request, ReadOnlySpan<byte> response)
    {
        if (response.Length >= 2 && response[0] == (request[0] | 0x80))
        {
            throw new ModbusException(request[0], (ModbusExceptionCode)response[1]);
        }
        if (response.Length == 0 || response[0] != request[0])
        {
            throw new ModbusProtocolException($"response function {(response.Length == 0 ? "none" : response[0].ToString("X2"))} does not match request {request[0]:X2}");
        }
        var expected = ResponseLength(request);
        if (response.Length != expected)
        {
            throw new ModbusProtocolException($"response to function {request[0]:X2} has {response.Length} bytes, expected {expected}");
        }
        switch (request[0])
        {
            case ReadHoldingRegisters or ReadInputRegisters when response[1] != expected - 2:
                throw new ModbusProtocolException($"byte count {response[1]} does not match the {expected - 2} bytes requested");
            case WriteSingleRegister when !response.SequenceEqual(request):
                throw new ModbusProtocolException("write single register: the response does not echo the request");
            case WriteMultipleRegisters when !response[1..5].SequenceEqual(request[1..5]):
                throw new ModbusProtocolException("write multiple registers: the response names other registers than the request");
        }
    }

    /// <summary>The register values of a checked FC 03/04 response.</summary>
    public static ushort[] Registers(ReadOnlySpan<byte> response)
    {
        var values = new ushort[response[1] / 2];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt16BigEndian(response[(2 + i * 2)..]);
        }
        return values;
    }
}
