namespace EnergyHub.Protocols.Serial;

/// <summary>
/// A Linux serial port (or pty) in raw mode, configured through termios, as a <see cref="Stream"/>.
/// No flow control, no echo, no line editing: every byte passes unchanged.
/// </summary>
public sealed class SerialPort : FileDescriptorStream
{
    private SerialPort(string path, SerialSettings settings) : base(path)
    {
        Settings = settings;
        try
        {
            Configure(settings);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The line settings in force.</summary>
    public SerialSettings Settings { get; }

    /// <summary>Opens <paramref name="path"/> (e.g. <c>/dev/ttyUSB0</c>) with <paramref name="settings"/>.</summary>
    public static SerialPort Open(string path, SerialSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.DataBits, 7);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.DataBits, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.StopBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.StopBits, 2);
        return new SerialPort(path, settings);
    }

    /// <summary>Drops bytes received but not yet read (stale answers from an earlier, timed-out request).</summary>
    public void DiscardInput()
    {
        if (Native.TcFlush(Descriptor, Native.TCIFLUSH) != 0)
        {
            throw Native.Error($"tcflush {Path}");
        }
    }

    private unsafe void Configure(SerialSettings settings)
    {
        if (Native.TcGetAttr(Descriptor, out var termios) != 0)
        {
            throw Native.Error($"tcgetattr {Path} (is it a serial port?)");
        }
        Native.CfMakeRaw(ref termios);
        termios.c_cflag &= ~(Native.CSIZE | Native.PARENB | Native.PARODD | Native.CSTOPB | Native.CRTSCTS);
        termios.c_cflag |= Native.CREAD | Native.CLOCAL | (settings.DataBits == 7 ? Native.CS7 : Native.CS8);
        if (settings.Parity != Parity.None)
        {
            termios.c_cflag |= Native.PARENB | (settings.Parity == Parity.Odd ? Native.PARODD : 0);
            termios.c_iflag |= Native.INPCK;
        }
        if (settings.StopBits == 2)
        {
            termios.c_cflag |= Native.CSTOPB;
        }
        termios.c_cc[Native.VMIN] = 0;
        termios.c_cc[Native.VTIME] = 0;
        var speed = Native.Speed(settings.BaudRate);
        if (Native.CfSetISpeed(ref termios, speed) != 0 || Native.CfSetOSpeed(ref termios, speed) != 0)
        {
            throw Native.Error($"setting {settings.BaudRate} baud on {Path}");
        }
        if (Native.TcSetAttr(Descriptor, Native.TCSANOW, termios) != 0)
        {
            throw Native.Error($"tcsetattr {Path}");
        }
    }
}
