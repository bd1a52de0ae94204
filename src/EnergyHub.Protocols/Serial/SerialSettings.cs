namespace EnergyHub.Protocols.Serial;

/// <summary>Parity of a serial line.</summary>
public enum Parity
{
    /// <summary>No parity bit.</summary>
    None,
    /// <summary>Even parity (Modbus RTU's default, 8E1).</summary>
    Even,
    /// <summary>Odd parity.</summary>
    Odd,
}

/// <summary>How a serial line is framed: e.g. 2400 8N1 for an Axpert, 9600 8E1 for Modbus RTU.</summary>
/// <param name="BaudRate">Bits per second: 1200 … 230400.</param>
/// <param name="DataBits">7 or 8.</param>
/// <param name="Parity">None, Even or Odd.</param>
/// <param name="StopBits">1 or 2.</param>
public sealed record SerialSettings(int BaudRate, int DataBits = 8, Parity Parity = Parity.None, int StopBits = 1)
{
    /// <summary>Time of one character on the wire (start + data + parity + stop bits).</summary>
    public TimeSpan CharacterTime => TimeSpan.FromSeconds((1.0 + DataBits + (Parity == Parity.None ? 0 : 1) + StopBits) / BaudRate);

    /// <inheritdoc />
    public override string ToString() => $"{BaudRate} {DataBits}{Parity.ToString()[0]}{StopBits}";
}
