using Microsoft.AspNetCore.Builder;

namespace EnergyHub.Web;

/// <summary>Endpoints a host serves instead of a site's (the fleet's page and API).</summary>
public interface IWebEndpoints
{
    /// <summary>Maps the endpoints on <paramref name="app"/>.</summary>
    void Map(WebApplication app);
}
