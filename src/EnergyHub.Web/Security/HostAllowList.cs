using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using EnergyHub.Core.Config;

namespace EnergyHub.Web.Security;

/// <summary>
/// The Host header values the web server answers to. A browser page on another site that rebinds its own name to
/// 127.0.0.1 still sends its own name as Host, so refusing unknown names keeps such a page from reading the API.
/// </summary>
public static class HostAllowList
{
    /// <summary>localhost and the loopback addresses, this machine's names and addresses, the listen address and <c>[Web] AllowedHosts</c>.</summary>
    public static IReadOnlyList<string> For(WebOptions web)
    {
        if (web.AllowedHosts.Contains("*"))
        {
            return ["*"];
        }
        var hosts = new SortedSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "[::1]" };
        var machine = Dns.GetHostName();
        hosts.Add(machine);
        hosts.Add(machine + ".local");
        foreach (var address in OwnAddresses())
        {
            hosts.Add(address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString());
        }
        if (!IPAddress.TryParse(web.Address.Trim('[', ']'), out var listen) || !listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any))
        {
            hosts.Add(web.Address);
        }
        hosts.UnionWith(web.AllowedHosts);
        return [.. hosts];
    }

    private static IEnumerable<IPAddress> OwnAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .Where(a => !a.IsIPv6LinkLocal)
                .ToList();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }
}
