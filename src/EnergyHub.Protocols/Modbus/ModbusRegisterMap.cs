namespace EnergyHub.Protocols.Modbus;

/// <summary>
/// Holding and input registers in memory, for <see cref="ModbusTcpServer"/>. Thread-safe. Writes from clients go
/// through <see cref="Writing"/>, which may refuse them by throwing a <see cref="ModbusException"/>.
/// </summary>
public sealed class ModbusRegisterMap(int holdingCount = 10_000, int inputCount = 10_000)
{
    private readonly object _gate = new();
    private readonly ushort[] _holding = new ushort[holdingCount];
    private readonly ushort[] _input = new ushort[inputCount];

    /// <summary>Called before a client's write is stored, with the start address and the values; throw to refuse it.</summary>
    public Action<ushort, ushort[]>? Writing { get; set; }

    /// <summary>Called after a client's write was stored.</summary>
    public Action<ushort, ushort[]>? Written { get; set; }

    /// <summary>Called before a client's read, with holding (true) or input, the start address and the count; refresh values here.</summary>
    public Action<bool, ushort, int>? Reading { get; set; }

    /// <summary>Number of holding registers (addresses 0..count−1).</summary>
    public int HoldingCount => _holding.Length;

    /// <summary>Number of input registers (addresses 0..count−1).</summary>
    public int InputCount => _input.Length;

    /// <summary>Sets holding registers from <paramref name="address"/> (the device side; no callbacks).</summary>
    public void SetHolding(ushort address, params ushort[] values) => Set(_holding, address, values);

    /// <summary>Sets input registers from <paramref name="address"/>.</summary>
    public void SetInput(ushort address, params ushort[] values) => Set(_input, address, values);

    /// <summary>Reads holding registers.</summary>
    public ushort[] GetHolding(ushort address, int count) => Get(_holding, address, count);

    /// <summary>Reads input registers.</summary>
    public ushort[] GetInput(ushort address, int count) => Get(_input, address, count);

    internal ushort[] Read(bool holding, ushort address, int count)
    {
        Reading?.Invoke(holding, address, count);
        var table = holding ? _holding : _input;
        if (address + count > table.Length)
        {
            throw new ModbusException(holding ? ModbusPdu.ReadHoldingRegisters : ModbusPdu.ReadInputRegisters, ModbusExceptionCode.IllegalDataAddress);
        }
        return Get(table, address, count);
    }

    internal void Write(byte function, ushort address, ushort[] values)
    {
        if (address + values.Length > _holding.Length)
        {
            throw new ModbusException(function, ModbusExceptionCode.IllegalDataAddress);
        }
        Writing?.Invoke(address, values);
        Set(_holding, address, values);
        Written?.Invoke(address, values);
    }

    private void Set(ushort[] table, ushort address, ushort[] values)
    {
        lock (_gate)
        {
            values.CopyTo(table, address);
        }
    }

    private ushort[] Get(ushort[] table, ushort address, int count)
    {
        lock (_gate)
        {
            return table.AsSpan(address, count).ToArray();
        }
    }
}
