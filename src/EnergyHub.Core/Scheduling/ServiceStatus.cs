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
    private readonly Dictionary<string, EnergyHub.Services.IService> _instances = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Records the instance running now as <paramref name="name"/>, for <see cref="Document"/>.</summary>
    public void Attach(string name, EnergyHub.Services.IService instance)
    {
        lock (_gate)
        {
            _instances[name] = instance;
        }
    }

    /// <summary>
    /// What the running instance of <paramref name="name"/> shows (<see cref="EnergyHub.Services.IHasStatus{TStatus}"/>): the
    /// document, or why there is none (no such service running, or it shows nothing).
    /// </summary>
    public (object? Document, string? Missing) Document(string name)
    {
        EnergyHub.Services.IService? instance;
        lock (_gate)
        {
            _instances.TryGetValue(name, out instance);
        }
        return instance switch
        {
            null => (null, $"no service {name} is running (switch it on in [Services])"),
            EnergyHub.Services.IHasStatus<object> { Status: { } status } => (status, null),
            EnergyHub.Services.IHasStatus<object> => (null, $"{name} has nothing to show yet (before its first cycle)"),
            _ => (null, $"{name} shows no status document"),
        };
    }

    /// <summary>The running instances that export metrics (<see cref="EnergyHub.Services.IHasMetrics"/>), by service name.</summary>
    public IReadOnlyList<(string Service, EnergyHub.Services.IHasMetrics Instance)> WithMetrics()
    {
        lock (_gate)
        {
            return [.. _instances.Where(i => i.Value is EnergyHub.Services.IHasMetrics).Select(i => (i.Key, (EnergyHub.Services.IHasMetrics)i.Value))];
        }
    }

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
        Changed?.Invoke(status);
    }

    /// <summary>Raised on the service's own thread after every change: each tick, failure and stop.</summary>
    public event Action<ServiceStatus>? Changed;

    /// <summary>The instance running now as <paramref name="name"/>, or null.</summary>
    public EnergyHub.Services.IService? Instance(string name)
    {
        lock (_gate)
        {
            return _instances.GetValueOrDefault(name);
        }
    }
}
