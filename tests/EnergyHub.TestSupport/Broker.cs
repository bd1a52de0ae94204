using NUnit.Framework;
using System.Net.Sockets;

namespace EnergyHub.TestSupport;

/// <summary>
/// A real mosquitto on 127.0.0.1 and a free port, with persistence in a temp folder; can be restarted on the same port.
/// Its per-client queue holds 20 000 messages (mosquitto's default of 1000 drops QoS 1 messages for a slow
/// subscriber, which would make the 10k test measure the broker rather than us). It runs as the current user (started as root, mosquitto would switch to user mosquitto and could not save its database).
/// </summary>
public sealed class Broker : IDisposable
{
    private readonly string _dir;
    private Peer? _process;

    private Broker(string dir, int port)
    {
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The broker's self-signed certificate (PEM) when started with TLS: also the authority a client may trust.</summary>
    public string CertificateFile => Path.Combine(_dir, "cert.pem");

    public string PortText => Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Starts a broker; with <paramref name="tls"/> it speaks only TLS, with a self-signed certificate made by openssl;
    /// without <paramref name="anonymous"/> it knows only <see cref="User"/> with <see cref="UserPassword"/>.
    /// </summary>
    /// <summary>The one user a broker started without <c>anonymous</c> knows.</summary>
    public const string User = "energyhub";

    /// <summary>Its password.</summary>
    public const string UserPassword = "right-password";

    public static async Task<Broker> Start(int? port = null, bool tls = false, bool anonymous = true)
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-mosquitto-").FullName;
        var broker = new Broker(dir, port ?? Peer.FreePort());
        var tlsLines = "";
        if (tls)
        {
            var (code, output) = await Peer.Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", Path.Combine(dir, "key.pem"), "-out", Path.Combine(dir, "cert.pem"));
            Assert.That(code, Is.Zero, output);
            tlsLines = $"certfile {dir}/cert.pem\nkeyfile {dir}/key.pem";
        }
        if (!anonymous)
        {
            var (code, output) = await Peer.Run("mosquitto_passwd", "-b", "-c", Path.Combine(dir, "passwd"), User, UserPassword);
            Assert.That(code, Is.Zero, output);
            tlsLines += $"\npassword_file {dir}/passwd";
        }
        await File.WriteAllTextAsync(Path.Combine(dir, "mosquitto.conf"), $"""
            listener {broker.Port} 127.0.0.1
            {tlsLines}
            allow_anonymous {(anonymous ? "true" : "false")}
            persistence true
            persistence_location {dir}/
            sys_interval 1
            log_dest stderr
            user {Environment.UserName}
            max_queued_messages 20000
            """);
        await broker.Restart();
        return broker;
    }

    /// <summary>Starts mosquitto (again) and waits until it accepts connections.</summary>
    public async Task Restart()
    {
        _process = Peer.Start("mosquitto", "-c", Path.Combine(_dir, "mosquitto.conf"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Stops mosquitto with SIGTERM (it saves its persistence file) and waits for it to exit.</summary>
    public async Task Stop()
    {
        if (_process is null)
        {
            return;
        }
        System.Diagnostics.Process.Start("kill", ["-TERM", ProcessId()])!.WaitForExit();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_process.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        _process.Dispose();
        _process = null;
    }

    public string Log => _process?.Output ?? "";

    private string ProcessId() =>
        System.Diagnostics.Process.GetProcessesByName("mosquitto")
            .Single(p => File.ReadAllText($"/proc/{p.Id}/cmdline").Contains(_dir, StringComparison.Ordinal)).Id
            .ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _process?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
