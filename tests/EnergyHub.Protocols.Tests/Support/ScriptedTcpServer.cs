using System.Net;
using System.Net.Sockets;

namespace EnergyHub.Protocols.Tests.Support;

/// <summary>A scripted TCP peer on 127.0.0.1 and a free port: each accepted connection is handed to the script with its number.</summary>
public sealed class ScriptedTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();
    public int Accepted;

    public ScriptedTcpServer(Func<int, NetworkStream, CancellationToken, Task> serve)
    {
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                var n = Interlocked.Increment(ref Accepted);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            await serve(n, client.GetStream(), _stop.Token);
                        }
                        catch (Exception ex) when (ex is IOException or OperationCanceledException or EndOfStreamException)
                        {
                        }
                    }
                });
            }
        });
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
    }
}
