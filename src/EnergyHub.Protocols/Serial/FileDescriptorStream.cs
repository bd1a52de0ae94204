namespace EnergyHub.Protocols.Serial;

/// <summary>
/// A <see cref="Stream"/> over a non-blocking Linux file descriptor (a tty, a pty, a hidraw node). Reads wait with
/// <c>poll</c> in short slices so they honour cancellation and <see cref="ReadTimeout"/>; a hang-up is an
/// <see cref="IOException"/>.
/// </summary>
public class FileDescriptorStream : Stream
{
    private const int PollSliceMs = 20;
    private int _fd;

    /// <summary>Opens <paramref name="path"/> read-write, non-blocking, not as the controlling terminal.</summary>
    protected FileDescriptorStream(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("hidraw needs Linux; serial ports work everywhere through SerialLine.");
        }
        Path = path;
        _fd = Native.Open(path, Native.O_RDWR | Native.O_NOCTTY | Native.O_NONBLOCK | Native.O_CLOEXEC);
        if (_fd < 0)
        {
            throw Native.Error($"open {path} (check that it exists and that this user may use it, e.g. group dialout or a udev rule)");
        }
    }

    /// <summary>The device path.</summary>
    public string Path { get; }

    /// <summary>The file descriptor, for subclasses that configure the device.</summary>
    protected int Descriptor => _fd >= 0 ? _fd : throw new ObjectDisposedException(Path);

    /// <summary>Milliseconds a synchronous <see cref="Read(byte[], int, int)"/> waits for data; <see cref="Timeout.Infinite"/> by default.</summary>
    public override int ReadTimeout { get; set; } = Timeout.Infinite;

    /// <inheritdoc />
    public override bool CanTimeout => true;

    /// <inheritdoc />
    public override bool CanRead => _fd >= 0;

    /// <inheritdoc />
    public override bool CanWrite => _fd >= 0;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadBlocking(buffer.AsSpan(offset, count), ReadTimeout, CancellationToken.None);

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Try without a thread hop first: data is often already there.
        var ready = TryRead(buffer.Span);
        if (ready > 0)
        {
            return ready;
        }
        return await Task.Run(() => ReadBlocking(buffer.Span, Timeout.Infinite, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => WriteAll(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        WriteAll(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Writes all of <paramref name="data"/>, waiting while the device's buffer is full.</summary>
    protected unsafe void WriteAll(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            nint written;
            fixed (byte* pointer = data)
            {
                written = Native.Write(Descriptor, pointer, data.Length);
            }
            if (written < 0)
            {
                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno is Native.EAGAIN or Native.EINTR)
                {
                    Wait(Native.POLLOUT, PollSliceMs);
                    continue;
                }
                throw Native.Error($"write {Path}");
            }
            data = data[(int)written..];
        }
    }

    private unsafe int TryRead(Span<byte> buffer)
    {
        nint read;
        fixed (byte* pointer = buffer)
        {
            read = Native.Read(Descriptor, pointer, buffer.Length);
        }
        if (read > 0)
        {
            return (int)read;
        }
        // A tty in raw mode with VMIN = 0 returns 0 when it has no data; hang-ups are seen by poll.
        var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        return read == 0 || errno is Native.EAGAIN or Native.EINTR ? 0 : throw Native.Error($"read {Path}");
    }

    private int ReadBlocking(Span<byte> buffer, int timeoutMs, CancellationToken cancellationToken)
    {
        var deadline = timeoutMs == Timeout.Infinite ? long.MaxValue : Environment.TickCount64 + timeoutMs;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                throw new TimeoutException($"{Path}: no data within {timeoutMs} ms");
            }
            var events = Wait(Native.POLLIN, (int)Math.Min(PollSliceMs, remaining));
            if ((events & Native.POLLIN) != 0 && TryRead(buffer) is > 0 and var read)
            {
                return read;
            }
            if ((events & (Native.POLLHUP | Native.POLLERR)) != 0)
            {
                throw new IOException($"{Path}: the other end hung up");
            }
        }
    }

    private unsafe short Wait(short events, int timeoutMs)
    {
        var poll = new Native.PollFd { fd = Descriptor, events = events };
        var result = Native.Poll(&poll, 1, timeoutMs);
        if (result < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != Native.EINTR)
        {
            throw Native.Error($"poll {Path}");
        }
        return result > 0 ? poll.revents : (short)0;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            Native.Close(fd);
        }
        base.Dispose(disposing);
    }
}
