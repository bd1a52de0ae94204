namespace EnergyHub.Protocols.Http;

/// <summary>Base addresses of HTTP APIs.</summary>
public static class ApiAddress
{
    /// <summary><paramref name="baseUrl"/> with a trailing slash, so relative paths append to it instead of replacing its last segment.</summary>
    public static Uri WithTrailingSlash(Uri baseUrl) =>
        baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
}
