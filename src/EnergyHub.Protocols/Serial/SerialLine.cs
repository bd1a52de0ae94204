using Ports = System.IO.Ports;

namespace EnergyHub.Protocols.Serial;

/// <summary>
/// A serial port (or pty) in raw mode as a <see cref="Stream"/>, on <see cref="Ports.SerialPort"/>: no flow control,
/// no echo, no line editing, every byte passes unchanged. A line that goes away under a read or write
/// (adapter unplugged, the other end of a pty closed) is an <see cref="IOException"/> that says it hung up.
/// Works on Linux, Windows and macOS.
/// </summary>
public sealed class SerialLine : Stream
{
    private readonly Ports.SerialPort _port;
    private readonly Stream _stream;
    private volatile bool _disposed;

    private SerialLine(Ports.SerialPort port, SerialSettings settings)
    {
        _port = port;
        _stream = port.BaseStream;
        Settings = settings;
    }

    /// <summary>The device path (e.g. <c>/dev/ttyUSB0</c>, <c>COM3</c>).</summary>
    public string Path => _port.PortName;

    /// <summary>The line settings in force.</summary>
    public SerialSettings Settings { get; }

    /// <summary>Opens <paramref name="path"/> with <paramref name="settings"/>.</summary>
    /// <exception cref="IOException">The port does not exist, may not be used by this user, or another program holds it;
    /// the message says what to check.</exception>
    public static SerialLine Open(string path, SerialSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.DataBits, 7);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.DataBits, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.StopBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.StopBits, 2);
        if (path.StartsWith('/') && !File.Exists(path))
        {
            throw new IOException($"{path} does not exist: check the device path (ls -l /dev/serial/by-id/ lists the adapters plugged in) and that the cable is connected");
        }
        var port = new Ports.SerialPort(path, settings.BaudRate, Map(settings.Parity), settings.DataBits, settings.StopBits == 2 ? Ports.StopBits.Two : Ports.StopBits.One)
        {
            Handshake = Ports.Handshake.None,
            ReadTimeout = Ports.SerialPort.InfiniteTimeout,
        };
        try
        {
            port.Open();
            return new SerialLine(port, settings);
        }
        catch (UnauthorizedAccessException ex)
        {
            port.Dispose();
            throw new IOException($"{path} may not be opened: this user needs permission (group dialout, or a udev rule), or another program holds the port ({ex.Message})", ex);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            port.Dispose();
            throw new IOException($"{path} cannot be opened at {settings}: {ex.Message}", ex);
        }
    }

    /// <summary>Drops bytes received but not yet read (stale answers from an earlier, timed-out request).</summary>
    public void DiscardInput() => _port.DiscardInBuffer();

    /// <summary>Milliseconds a synchronous <see cref="Read(byte[], int, int)"/> waits for data; infinite by default.</summary>
    public override int ReadTimeout
    {
        get => _port.ReadTimeout;
        set => _port.ReadTimeout = value;
    }

    /// <inheritdoc />
    public override bool CanTimeout => true;

    /// <inheritdoc />
    public override bool CanRead => _port.IsOpen;

    /// <inheritdoc />
    public override bool CanWrite => _port.IsOpen;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return _stream.Read(buffer, offset, count);
        }
        catch (ObjectDisposedException ex) when (!_disposed)
        {
            throw HungUp(ex);
        }
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException ex) when (!_disposed)
        {
            throw HungUp(ex);
        }
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await _stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException ex) when (!_disposed)
        {
            throw HungUp(ex);
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Flush() => _stream.Flush();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed = true;
            _port.Dispose();
        }
        base.Dispose(disposing);
    }

    private IOException HungUp(Exception inner) =>
        new($"{Path}: the line hung up (adapter unplugged, or the other end closed); it is reopened on the next exchange", inner);

    private static Ports.Parity Map(Parity parity) => parity switch
    {
        Parity.Even => Ports.Parity.Even,
        Parity.Odd => Ports.Parity.Odd,
        _ => Ports.Parity.None,
    };
}
