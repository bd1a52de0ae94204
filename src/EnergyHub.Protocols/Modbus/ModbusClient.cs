namespace EnergyHub.Protocols.Modbus;

/// <summary>Settings of a <see cref="ModbusClient"/>.</summary>
public sealed record ModbusClientOptions
{
    /// <summary>Registers per read request; longer reads are split. Some devices take fewer than the 125 the spec allows.</summary>
    public int MaxReadRegisters { get; init; } = ModbusPdu.MaxReadRegisters;

    /// <summary>Registers per write request; longer writes are split.</summary>
    public int MaxWriteRegisters { get; init; } = ModbusPdu.MaxWriteRegisters;

    /// <summary>Write single registers with FC 16 (quantity 1), for devices without FC 06 (e.g. go-e).</summary>
    public bool WriteSingleWithFc16 { get; init; }

    /// <summary>Attempts of a request the device answers with a retryable exception (06 busy, 05, gateway 0A/0B), the first included.</summary>
    public int BusyAttempts { get; init; } = 3;

    /// <summary>Pause before the second attempt after a retryable exception; the n-th waits n times as long.</summary>
    public TimeSpan BusyRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The clock the pauses run on.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>Reads and writes registers over any <see cref="IModbusTransport"/> (TCP or RTU).</summary>
public sealed class ModbusClient(IModbusTransport transport, ModbusClientOptions? options = null)
{
    private readonly ModbusClientOptions _options = options ?? new ModbusClientOptions();

    /// <summary>FC 03: <paramref name="count"/> holding registers from <paramref name="address"/>, split into several requests if needed.</summary>
    public Task<ushort[]> ReadHoldingRegistersAsync(byte unitId, ushort address, int count, CancellationToken cancellationToken) =>
        ReadAsync(ModbusPdu.ReadHoldingRegisters, unitId, address, count, cancellationToken);

    /// <summary>FC 04: <paramref name="count"/> input registers from <paramref name="address"/>, split into several requests if needed.</summary>
    public Task<ushort[]> ReadInputRegistersAsync(byte unitId, ushort address, int count, CancellationToken cancellationToken) =>
        ReadAsync(ModbusPdu.ReadInputRegisters, unitId, address, count, cancellationToken);

    /// <summary>FC 06 (or FC 16 with one register, see <see cref="ModbusClientOptions.WriteSingleWithFc16"/>).</summary>
    public async Task WriteSingleRegisterAsync(byte unitId, ushort address, ushort value, CancellationToken cancellationToken)
    {
        if (_options.WriteSingleWithFc16)
        {
            await WriteMultipleRegistersAsync(unitId, address, new[] { value }, cancellationToken).ConfigureAwait(false);
            return;
        }
        await ExchangeAsync(unitId, ModbusPdu.WriteSingle(address, value), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>FC 16: consecutive registers from <paramref name="address"/>, split into several requests if needed.</summary>
    public async Task WriteMultipleRegistersAsync(byte unitId, ushort address, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken)
    {
        CheckRange(address, values.Length);
        for (var offset = 0; offset < values.Length; offset += _options.MaxWriteRegisters)
        {
            var chunk = values.Slice(offset, Math.Min(_options.MaxWriteRegisters, values.Length - offset));
            await ExchangeAsync(unitId, ModbusPdu.WriteMultiple((ushort)(address + offset), chunk.Span), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ushort[]> ReadAsync(byte function, byte unitId, ushort address, int count, CancellationToken cancellationToken)
    {
        CheckRange(address, count);
        var result = new ushort[count];
        for (var offset = 0; offset < count; offset += _options.MaxReadRegisters)
        {
            var chunk = Math.Min(_options.MaxReadRegisters, count - offset);
            var response = await ExchangeAsync(unitId, ModbusPdu.Read(function, (ushort)(address + offset), chunk), cancellationToken).ConfigureAwait(false);
            ModbusPdu.Registers(response).CopyTo(result, offset);
        }
        return result;
    }

    // A device that answers "busy" or "acknowledge" (IsRetryable) is asked again after a short pause, a few times.
    private async Task<byte[]> ExchangeAsync(byte unitId, byte[] request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await transport.SendAsync(unitId, request, cancellationToken).ConfigureAwait(false);
            try
            {
                ModbusPdu.Check(request, response);
                return response;
            }
            catch (ModbusException ex) when (ex.IsRetryable && attempt < _options.BusyAttempts)
            {
                await Task.Delay(_options.BusyRetryDelay * attempt, _options.Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void CheckRange(ushort address, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (address + count > 0x10000)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"registers {address}..{address + count - 1} run past 65535");
        }
    }
}
