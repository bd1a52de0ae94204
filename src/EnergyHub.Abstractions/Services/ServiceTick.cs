using EnergyHub.Commands;
using EnergyHub.Site;

namespace EnergyHub.Services;

/// <summary>What a service sees on one tick.</summary>
/// <param name="Now">The tick's instant (UTC), from the host's clock.</param>
/// <param name="Site">The latest reading, age and health of every device.</param>
/// <param name="Commands">The only way to change a device.</param>
public sealed record ServiceTick(DateTimeOffset Now, SiteSnapshot Site, ICommandGate Commands)
{
    /// <summary>Where the service records its decisions and their reasons.</summary>
    public IDecisionLog Decisions { get; init; } = NullDecisionLog.Instance;

    /// <summary>The site's board for plans made together (an EV's charge plan placed with the battery's).</summary>
    public SitePlans Plans { get; init; } = new();
}
