namespace EnergyHub.TestSupport;

/// <summary>An <see cref="IServiceProvider"/> with nothing in it, for device contexts built by hand in tests.</summary>
public sealed class NoServices : IServiceProvider
{
    /// <inheritdoc />
    public object? GetService(Type serviceType) => null;
}
