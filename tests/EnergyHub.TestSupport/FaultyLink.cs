using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EnergyHub.TestSupport;

/// <summary>What a <see cref="FaultyLink"/> does to the traffic passing through it.</summary>
public enum LinkFault
{
    /// <summary>Passes everything through.</summary>
    None,
    /// <summary>Nothing listens: connections are refused.</summary>
    Refuse,
    /// <summary>Accepts and reads requests but never answers (a peer that hangs).</summary>
    Hang,
    /// <summary>Resets every connection as soon as it is made.</summary>
    Reset,
    /// <summary>Answers every request with random bytes.</summary>
    Garbage,
    /// <summary>Forwards the first half of each answer, then closes the connection.</summary>
    Truncate,
    /// <summary>Modbus TCP: answers with the transaction id of another request.</summary>
    WrongTransactionId,
    /// <summary>HTTP: 500 Internal Server Error.</summary>
    Http500,
    /// <summary>HTTP: 429 Too Many Requests with Retry-After.</summary>
    Http429,
    /// <summary>HTTP: 200 with an HTML page instead of JSON (a captive portal, a proxy's error page).</summary>
    Html,
}

/// <summary>
/// A TCP proxy on 127.0.0.1 between a driver and its (emulated) device that injects <see cref="LinkFault"/>s. Changing the
/// fault closes the open connections, so the next request meets it.
/// </summary>
public sealed class FaultyLink : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Random _random = new(7);
    private TcpListener _listener;
    private Task _accepting;
    private volatile LinkFault _fault;

    /// <summary>Starts forwarding a free port on 127.0.0.1 to <paramref name="upstreamPort"/> (or to <see cref="UpstreamPort"/> once set).</summary>
    public FaultyLink(int upstreamPort = 0)
    {
        UpstreamPort = upstreamPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The port drivers connect to.</summary>
    public int Port { get; }

    /// <summary>The port on 127.0.0.1 traffic is forwarded to.</summary>
    public int UpstreamPort { get; set; }

    /// <summary>The fault now in force.</summary>
    public LinkFault Fault
    {
        get => _fault;
        set
        {
            var before = _fault;
            _fault = value;
            CloseOpen();
            if (value == LinkFault.Refuse && before != LinkFault.Refuse)
            {
                _listener.Stop();
            }
            else if (value != LinkFault.Refuse && before == LinkFault.Refuse)
            {
                _listener = new TcpListener(IPAddress.Loopback, Port);
                _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                _listener.Start();
                _accepting = Task.Run(AcceptAsync);
            }
        }
    }

    private async Task AcceptAsync()
    {
        var listener = _listener;
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_open)
            {
                _open.Add(client);
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        TcpClient? upstream = null;
        try
        {
            // A connection accepted just as Refuse came into force slipped past CloseOpen; it is refused all the same.
            if (_fault is LinkFault.Reset or LinkFault.Refuse)
            {
                client.LingerState = new LingerOption(true, 0);
                return;
            }
            var fromClient = client.GetStream();
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var n = await fromClient.ReadAsync(buffer, _stop.Token);
                if (n == 0)
                {
                    return;
                }
                switch (_fault)
                {
                    case LinkFault.Hang:
                        continue;
                    case LinkFault.Reset or LinkFault.Refuse:
                        client.LingerState = new LingerOption(true, 0);
                        return;
                    case LinkFault.Garbage:
                        var noise = new byte[12];
                        _random.NextBytes(noise);
                        await fromClient.WriteAsync(noise, _stop.Token);
                        continue;
                    case LinkFault.Http500:
                        await Answer(fromClient, "500 Internal Server Error", "text/plain", "upstream failure");
                        return;
                    case LinkFault.Http429:
                        await Answer(fromClient, "429 Too Many Requests", "application/json", "{\"message\":\"rate limited\"}", "Retry-After: 10\r\n");
                        return;
                    case LinkFault.Html:
                        await Answer(fromClient, "200 OK", "text/html", "<html><body><h1>Please log in to the Wi-Fi</h1></body></html>");
                        return;
                }
                if (upstream is null)
                {
                    upstream = new TcpClient { NoDelay = true };
                    await upstream.ConnectAsync(IPAddress.Loopback, UpstreamPort, _stop.Token);
                    _ = Task.Run(() => PumpBackAsync(upstream, client));
                }
                await upstream.GetStream().WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            upstream?.Dispose();
            Forget(client);
        }
    }

    private async Task PumpBackAsync(TcpClient upstream, TcpClient client)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var toClient = client.GetStream();
            while (true)
            {
                var n = await upstream.GetStream().ReadAsync(buffer, _stop.Token);
                if (n == 0)
                {
                    Forget(client);
                    return;
                }
                switch (_fault)
                {
                    case LinkFault.Hang:
                        continue;
                    case LinkFault.Truncate:
                        await toClient.WriteAsync(buffer.AsMemory(0, Math.Max(1, n / 2)), _stop.Token);
                        Forget(client);
                        return;
                    case LinkFault.WrongTransactionId when n >= 2:
                        buffer[0] ^= 0x5A;
                        buffer[1] ^= 0xA5;
                        break;
                }
                await toClient.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            Forget(client);
        }
    }

    private static async Task Answer(NetworkStream stream, string status, string type, string body, string extraHeaders = "")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {status}\r\nContent-Type: {type}\r\nContent-Length: {bytes.Length}\r\n{extraHeaders}Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(bytes);
    }

    private void Forget(TcpClient client)
    {
        lock (_open)
        {
            _open.Remove(client);
        }
        client.Dispose();
    }

    private void CloseOpen()
    {
        List<TcpClient> open;
        lock (_open)
        {
            open = [.. _open];
            _open.Clear();
        }
        foreach (var client in open)
        {
            client.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CloseOpen();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
    }
}
