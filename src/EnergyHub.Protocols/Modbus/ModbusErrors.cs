namespace EnergyHub.Protocols.Modbus;

/// <summary>Modbus exception codes a device answers with.</summary>
public enum ModbusExceptionCode : byte
{
    /// <summary>The device does not support the function code.</summary>
    IllegalFunction = 0x01,
    /// <summary>The address range is outside the device's map.</summary>
    IllegalDataAddress = 0x02,
    /// <summary>A value or quantity is not acceptable.</summary>
    IllegalDataValue = 0x03,
    /// <summary>Unrecoverable error in the device.</summary>
    ServerDeviceFailure = 0x04,
    /// <summary>Long operation accepted; poll later.</summary>
    Acknowledge = 0x05,
    /// <summary>The device is busy; retry later.</summary>
    ServerDeviceBusy = 0x06,
    /// <summary>Memory parity error (file records).</summary>
    MemoryParityError = 0x08,
    /// <summary>The gateway has no path to the target.</summary>
    GatewayPathUnavailable = 0x0A,
    /// <summary>The device behind the gateway did not answer.</summary>
    GatewayTargetFailedToRespond = 0x0B,
}

/// <summary>The device answered a request with a Modbus exception response.</summary>
public sealed class ModbusException(byte function, ModbusExceptionCode code)
    : Exception($"Modbus exception {(byte)code:X2} ({code}) for function {function:X2}"
        + (code is ModbusExceptionCode.IllegalFunction or ModbusExceptionCode.IllegalDataAddress or ModbusExceptionCode.IllegalDataValue
            ? ": check the register map, unit id and quantity in the config" : ": retry later"))
{
    /// <summary>The function code of the request.</summary>
    public byte Function { get; } = function;

    /// <summary>The exception code.</summary>
    public ModbusExceptionCode Code { get; } = code;

    /// <summary>True for codes that say "later" (Acknowledge, Busy, gateway target silent) rather than "wrong request".</summary>
    public bool IsRetryable => Code is ModbusExceptionCode.Acknowledge or ModbusExceptionCode.ServerDeviceBusy
        or ModbusExceptionCode.GatewayTargetFailedToRespond or ModbusExceptionCode.GatewayPathUnavailable;
}

/// <summary>A response that breaks the protocol (wrong length, CRC, function or echo), or a broken connection.</summary>
public sealed class ModbusProtocolException(string message, Exception? inner = null) : IOException(message, inner);
