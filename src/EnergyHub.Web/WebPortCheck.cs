using System.Net;
using System.Net.Sockets;
using EnergyHub.Core.Config;

namespace EnergyHub.Web;

/// <summary>Checks before start-up that <c>[Web] Address:Port</c> can be listened on, so a busy port is one clear line.</summary>
public static class WebPortCheck
{
    /// <summary>Null when the port is free (or chosen by the system, or web is off); otherwise one line saying what to do.</summary>
    public static string? Problem(WebOptions web)
    {
        if (!web.Enabled || web.Port == 0)
        {
            return null;
        }
        IPAddress address;
        if (!IPAddress.TryParse(web.Address, out address!))
        {
            try
            {
                address = Dns.GetHostAddresses(web.Address).First();
            }
            catch (Exception ex) when (ex is SocketException or InvalidOperationException or ArgumentException)
            {
                return $"Web: cannot resolve [Web] Address '{web.Address}'; set it to an IP address such as 127.0.0.1.";
            }
        }
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            // As Kestrel does: a socket of an earlier run in TIME_WAIT does not count as busy.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, web.Port));
            socket.Listen();
            return null;
        }
        catch (SocketException ex)
        {
            var why = ex.SocketErrorCode == SocketError.AddressAlreadyInUse ? "is already in use (is EnergyHub already running?)" : $"cannot be used ({ex.Message})";
            return $"Web: port {web.Port} on {web.Address} {why}; nothing was started. Set [Web] Port in the config " +
                $"(or ENERGYHUB_Web__Port=8081) to a free port, 0 for any free port, or [Web] Enabled = false.";
        }
    }
}
