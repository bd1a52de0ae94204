namespace EnergyHub.Core.Scheduling;

/// <summary>Where a service is in its life.</summary>
public enum ServiceState
{
    /// <summary>Configured, not ticked yet.</summary>
    Starting,
    /// <summary>The last tick succeeded.</summary>
    Running,
    /// <summary>The last tick threw or timed out; the service is waiting to be restarted.</summary>
    Failed,
    /// <summary>Shut down; its safe state was restored.</summary>
    Stopped,
}

/// <summary>A service's health, for logs, the API and the CLI.</summary>
public sealed record ServiceStatus(
    string Name,
    ServiceState State,
    DateTimeOffset? LastTickAt,
    int Ticks,
    int ConsecutiveFailures,
    int TotalFailures,
    string? LastError,
    DateTimeOffset? RestartAt)
{
    /// <summary>How long the last successful tick took.</summary>
    public TimeSpan? LastDuration { get; init; }
}

/// <summary>The current <see cref="ServiceStatus"/> of every service.</summary>
public sealed class ServiceStatusBoard
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ServiceStatus> _statuses = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<ServiceStatus> All()
    {
        lock (_gate)
        {
            return _statuses.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        }
    }

    public ServiceStatus Get(string name)
    {
        lock (_gate)
        {
            return _statuses[name];
        }
    }

    public void Set(ServiceStatus status)
    {
        lock (_gate)
        {
            _statuses[status.Name] = status;
        }
    }
}
