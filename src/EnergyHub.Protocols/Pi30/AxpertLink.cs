using EnergyHub.Protocols.Serial;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Protocols.Pi30;

/// <summary>
/// One PI30 conversation at a time with an Axpert over a serial port or a hidraw node: stale input dropped, frame
/// written (hidraw in 8-byte reports), reply read up to CR within the timeout and its CRC checked. A bad CRC, a short
/// reply or silence is retried (three attempts in all); after a failed exchange the device is closed and reopened on
/// the next, because these USB links hang. NAK to a setter is an error that names the command.
/// </summary>
public sealed class AxpertLink(Func<Stream> open, TimeSpan timeout, ILogger logger) : IAsyncDisposable
{
    private const int Attempts = 3;

    /// <summary>A link to <paramref name="device"/>: a hidraw node (8-byte reports) or a serial port at <paramref name="baudRate"/> 8N1.</summary>
    public static AxpertLink Open(string device, bool hid, int baudRate, TimeSpan timeout, ILogger logger) =>
        new(hid ? () => HidrawStream.Open(device) : () => SerialLine.Open(device, new SerialSettings(baudRate)), timeout, logger);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Stream? _stream;

    /// <summary>Sends a query (e.g. QPIGS) and returns the reply's payload.</summary>
    public async Task<string> QueryAsync(string command, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Exception? last = null;
            for (var attempt = 1; attempt <= Attempts; attempt++)
            {
                try
                {
                    var payload = await ExchangeAsync(command, cancellationToken).ConfigureAwait(false);
                    if (payload == "NAK")
                    {
                        throw new IOException($"the inverter does not know {command} (NAK)");
                    }
                    return payload;
                }
                catch (Exception ex) when (ex is TimeoutException or FormatException or InvalidDataException || ex is IOException && ex.Message.Contains("hung up", StringComparison.Ordinal))
                {
                    last = ex;
                    logger.LogDebug("Axpert {Command} attempt {Attempt} failed: {Error}", command, attempt, ex.Message);
                    await CloseAsync().ConfigureAwait(false);
                }
            }
            throw new IOException($"{command}: no valid reply after {Attempts} attempts; last: {last!.Message}", last);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends a setter (e.g. PBFT54.0); throws when the inverter answers NAK.</summary>
    public async Task SetAsync(string command, CancellationToken cancellationToken)
    {
        var reply = await ExchangeOnceAsync(command, cancellationToken).ConfigureAwait(false);
        if (!Pi30.IsAck(reply))
        {
            throw new IOException($"the inverter refused {command} ({reply})");
        }
    }

    private async Task<string> ExchangeOnceAsync(string command, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Setters are not repeated blindly: a lost ACK would make a retry apply the change twice.
            return await ExchangeAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or FormatException or InvalidDataException)
        {
            await CloseAsync().ConfigureAwait(false);
            throw new IOException($"{command}: {ex.Message}; the setting may or may not have been applied, read it back (QPIRI)", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> ExchangeAsync(string command, CancellationToken cancellationToken)
    {
        var stream = _stream ??= open();
        (stream as SerialLine)?.DiscardInput();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await stream.WriteAsync(Pi30.Frame(command), deadline.Token).ConfigureAwait(false);
            var reply = stream is HidrawStream hid
                ? await hid.ReadFrameAsync(0x0D, 512, deadline.Token).ConfigureAwait(false)
                : await ReadToCrAsync(stream, deadline.Token).ConfigureAwait(false);
            var payload = Pi30.Payload(reply, out var crcValid);
            return crcValid ? payload : throw new InvalidDataException($"{command}: reply CRC does not match ({Convert.ToHexString(reply)})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{command}: no complete reply within {timeout.TotalSeconds:0.#} s");
        }
    }

    private static async Task<byte[]> ReadToCrAsync(Stream stream, CancellationToken cancellationToken)
    {
        var reply = new List<byte>();
        var buffer = new byte[256];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            var end = Array.IndexOf(buffer, (byte)0x0D, 0, read);
            reply.AddRange(buffer.AsSpan(0, end >= 0 ? end + 1 : read).ToArray());
            if (end >= 0)
            {
                return [.. reply];
            }
            if (reply.Count > 512)
            {
                throw new FormatException("no CR within 512 bytes");
            }
        }
    }

    private async Task CloseAsync()
    {
        if (_stream is { } stream)
        {
            _stream = null;
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
