namespace EnergyHub.Protocols.Serial;

/// <summary>
/// A Linux hidraw node (<c>/dev/hidrawN</c>) as a <see cref="Stream"/>, for devices such as Axpert/Voltronic inverters
/// that take their serial protocol in 8-byte HID reports: every write is sent as reports of
/// <see cref="ReportSize"/> bytes, the last one zero-padded, with no report-id byte.
/// </summary>
public sealed class HidrawStream : FileDescriptorStream
{
    /// <summary>Bytes per HID report.</summary>
    public const int ReportSize = 8;

    private HidrawStream(string path, TimeSpan gapBetweenReports) : base(path) => GapBetweenReports = gapBetweenReports;

    /// <summary>Pause between two reports of one write; slow firmware drops reports sent back to back.</summary>
    public TimeSpan GapBetweenReports { get; }

    /// <summary>Opens <paramref name="path"/>.</summary>
    public static HidrawStream Open(string path, TimeSpan? gapBetweenReports = null) =>
        new(path, gapBetweenReports ?? TimeSpan.FromMilliseconds(50));

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var report = new byte[ReportSize];
        for (var offset = 0; offset < buffer.Length; offset += ReportSize)
        {
            if (offset > 0 && GapBetweenReports > TimeSpan.Zero)
            {
                await Task.Delay(GapBetweenReports, cancellationToken).ConfigureAwait(false);
            }
            Array.Clear(report);
            buffer.Span.Slice(offset, Math.Min(ReportSize, buffer.Length - offset)).CopyTo(report);
            WriteAll(report);
        }
    }

    /// <summary>
    /// Reads reports until one contains <paramref name="terminator"/>; returns the bytes up to and including it.
    /// What follows the terminator in its report (padding) is dropped.
    /// </summary>
    public async Task<byte[]> ReadFrameAsync(byte terminator, int maxLength, CancellationToken cancellationToken)
    {
        var frame = new List<byte>();
        var report = new byte[ReportSize];
        while (frame.Count < maxLength)
        {
            var read = await ReadAsync(report, cancellationToken).ConfigureAwait(false);
            var end = Array.IndexOf(report, terminator, 0, read);
            frame.AddRange(report.AsSpan(0, end >= 0 ? end + 1 : read).ToArray());
            if (end >= 0)
            {
                return [.. frame];
            }
        }
        throw new IOException($"{Path}: no terminator {terminator:X2} within {maxLength} bytes");
    }
}
