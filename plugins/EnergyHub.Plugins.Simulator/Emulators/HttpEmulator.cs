using System.Net;
using System.Text;

namespace EnergyHub.Plugins.Simulator.Emulators;

/// <summary>An HTTP answer of an emulator.</summary>
public sealed record EmulatorResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>A tiny HTTP server on 127.0.0.1 (never any other address) that answers every request with <see cref="Answer(string, Func{string, string?})"/>.</summary>
public abstract class HttpEmulator : IAsyncDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _paths = new();
    private HttpListener? _listener;
    private Task? _loop;
    private volatile TaskCompletionSource? _hold;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The port it listens on, once started.</summary>
    public int Port { get; private set; }

    /// <summary>Requests answered so far.</summary>
    public int Requests { get; private set; }

    /// <summary>The path (without the query) of every request answered, in order.</summary>
    public IReadOnlyCollection<string> Paths => _paths;

    /// <summary>Stops answering, as a device that hangs: requests wait until <see cref="Release"/> (or disposal).</summary>
    public void Hold() => _hold ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Answers again, the held requests first.</summary>
    public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    /// <summary>The base address, e.g. <c>http://127.0.0.1:18080/</c>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Starts listening on <paramref name="port"/> (0 picks a free one).</summary>
    public void Start(int port)
    {
        Port = port == 0 ? FreePort() : port;
        _listener = new HttpListener();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>Answers one request, given its path and query (unescaped) and a way to read its headers.</summary>
    protected abstract EmulatorResponse Answer(string pathAndQuery, Func<string, string?> header);

    /// <summary>Answers a request with a body (POST, PUT); by default as <see cref="Answer(string, Func{string, string?})"/>, ignoring the body.</summary>
    protected virtual EmulatorResponse Answer(string method, string pathAndQuery, string body, Func<string, string?> header) => Answer(pathAndQuery, header);

    private async Task ServeAsync()
    {
        while (_listener is { IsListening: true } listener)
        {
            HttpListenerContext context;
            try
            {
                // Closing the listener may leave a wait for the next request that began as it closed uncompleted (a test host
                // once hung in DisposeAsync under load), so the wait is cancelled as well.
                context = await listener.GetContextAsync().WaitAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                return;
            }
            if (_hold is { } hold)
            {
                await hold.Task.ConfigureAwait(false);
            }
            EmulatorResponse answer;
            try
            {
                var headers = context.Request.Headers;
                var path = Uri.UnescapeDataString(context.Request.Url!.PathAndQuery);
                if (context.Request.HasEntityBody)
                {
                    using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                    answer = Answer(context.Request.HttpMethod, path, await reader.ReadToEndAsync().ConfigureAwait(false), name => headers[name]);
                }
                else
                {
                    answer = Answer(path, name => headers[name]);
                }
            }
            catch (Exception ex)
            {
                answer = new EmulatorResponse(500, $"{{\"error\":\"{ex.Message.Replace("\"", "'", StringComparison.Ordinal)}\"}}");
            }
            Requests++;
            _paths.Enqueue(context.Request.Url!.AbsolutePath);
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            try
            {
                context.Response.StatusCode = answer.Status;
                context.Response.ContentType = "application/json";
                foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
                {
                    context.Response.Headers[name] = value;
                }
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
                context.Response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The client went away, or the emulator is being disposed while it answers.
            }
        }
    }

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_listener is { } listener)
        {
            listener.Close();
            _listener = null;
        }
        Release();
        await (_loop ?? Task.CompletedTask).ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
