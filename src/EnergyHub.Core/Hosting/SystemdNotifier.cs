using System.Net.Sockets;
using System.Text;

namespace EnergyHub.Core.Hosting;

/// <summary>
/// sd_notify(3) over <c>$NOTIFY_SOCKET</c> (a datagram to a Unix socket, abstract when it starts with '@'): READY=1,
/// WATCHDOG=1, STOPPING=1, STATUS=... No package implements it on our feed; the protocol is one datagram per message.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint _endpoint;

    private SystemdNotifier(string path) =>
        _endpoint = new UnixDomainSocketEndPoint(path.StartsWith('@') ? "\0" + path[1..] : path);

    /// <summary>The notifier systemd asked for (Type=notify), or null when not started by systemd.</summary>
    public static SystemdNotifier? FromEnvironment() =>
        Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 1 } path ? new SystemdNotifier(path) : null;

    /// <summary>How often systemd wants WATCHDOG=1 (<c>$WATCHDOG_USEC</c>, WatchdogSec=), or null when it does not.</summary>
    public static TimeSpan? WatchdogInterval() =>
        long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out var usec) && usec > 0 ? TimeSpan.FromMicroseconds(usec) : null;

    /// <summary>Sends one message such as <c>READY=1</c>; a failure to send is returned, never thrown.</summary>
    public string? Notify(string message)
    {
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(message), _endpoint);
            return null;
        }
        catch (SocketException ex)
        {
            return ex.Message;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}
