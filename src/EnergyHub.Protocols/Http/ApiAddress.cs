namespace EnergyHub.Protocols.Http;

/// <summary>Base addresses of HTTP APIs.</summary>
public static class ApiAddress
{
    /// <summary><paramref name="baseUrl"/> with a trailing slash, so relative paths append to it instead of replacing its last segment.</summary>
    public static Uri WithTrailingSlash(Uri baseUrl) =>
        baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    /// <summary>
    /// The base address of a device on the local network from what a user writes in <c>Host</c>: <c>192.168.1.30</c>,
    /// <c>192.168.1.30:8080</c> or <c>http://192.168.1.30</c> (a path after it is dropped).
    /// </summary>
    /// <param name="host">What the user wrote.</param>
    /// <param name="device">What the device is, for the error message ("a go-e charger").</param>
    /// <exception cref="FormatException">Not a host, host:port or http(s) URL; the message shows the forms allowed.</exception>
    public static Uri OfHost(string host, string device)
    {
        var text = host.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? new Uri(uri.GetLeftPart(UriPartial.Authority) + "/")
            : throw new FormatException($"'{host}' is not an address of {device}; give 192.168.1.30, 192.168.1.30:8080 or http://192.168.1.30");
    }
}
