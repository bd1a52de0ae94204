using System.Collections.Concurrent;

namespace EnergyHub.Plugins;

/// <summary>
/// Resources several devices or services of one site use together: one Modbus TCP gateway in front of several units,
/// one broker connection for many MQTT devices, one simulated site for its sim devices. Each device keeps its own session
/// (unit id, topics) on the shared resource. The host disposes every resource when the site stops, after its devices.
/// </summary>
public interface ISharedResources
{
    /// <summary>
    /// The resource registered under <paramref name="key"/>, created with <paramref name="create"/> on first use. Name
    /// keys after what makes the resource one, e.g. <c>modbus-tcp://192.168.1.50:502</c>. A shared resource must be safe
    /// to use from several devices at once (the core serializes calls per device, not across devices).
    /// </summary>
    /// <exception cref="InvalidOperationException">The key is taken by a resource of another type.</exception>
    T GetOrAdd<T>(string key, Func<T> create) where T : class;

    /// <summary>The resource the host or another plugin registered under <paramref name="key"/>, if there is one of type <typeparamref name="T"/>.</summary>
    bool TryGet<T>(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? resource) where T : class;

    /// <summary>
    /// A lease on the connection-like resource under <paramref name="key"/>, created with <paramref name="create"/> by
    /// the first lease; it is disposed when the last lease is (a device that closes releases its gateway connection once
    /// no other device uses it).
    /// </summary>
    /// <exception cref="InvalidOperationException">The key is taken by a resource of another type.</exception>
    SharedLease<T> Lease<T>(string key, Func<T> create) where T : class, IAsyncDisposable;
}

/// <summary>One user's hold on a shared resource; dispose it when done (see <see cref="ISharedResources.Lease{T}"/>).</summary>
/// <typeparam name="T">The resource type.</typeparam>
public sealed class SharedLease<T> : IAsyncDisposable where T : class
{
    private Func<ValueTask>? _release;

    internal SharedLease(T value, Func<ValueTask> release) => (Value, _release) = (value, release);

    /// <summary>The shared resource.</summary>
    public T Value { get; }

    /// <summary>Releases this hold; the last one disposes the resource.</summary>
    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _release, null)?.Invoke() ?? ValueTask.CompletedTask;
}

/// <summary>The host's <see cref="ISharedResources"/>: one per site; usable on its own in tests.</summary>
public sealed class SharedResources : ISharedResources, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<object>> _resources = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (IAsyncDisposable Value, int Holders)> _leased = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public T GetOrAdd<T>(string key, Func<T> create) where T : class
    {
        var resource = _resources.GetOrAdd(key, _ => new Lazy<object>(() => create(), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        return resource as T
            ?? throw new InvalidOperationException($"the shared resource '{key}' is a {resource.GetType().Name}, not a {typeof(T).Name}");
    }

    /// <inheritdoc />
    public bool TryGet<T>(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? resource) where T : class
    {
        resource = _resources.TryGetValue(key, out var entry) && entry.IsValueCreated ? entry.Value as T : null;
        return resource is not null;
    }

    /// <inheritdoc />
    public SharedLease<T> Lease<T>(string key, Func<T> create) where T : class, IAsyncDisposable
    {
        T value;
        lock (_leased)
        {
            if (_leased.TryGetValue(key, out var held))
            {
                value = held.Value as T
                    ?? throw new InvalidOperationException($"the shared resource '{key}' is a {held.Value.GetType().Name}, not a {typeof(T).Name}");
                _leased[key] = (value, held.Holders + 1);
            }
            else
            {
                value = create();
                _leased[key] = (value, 1);
            }
        }
        return new SharedLease<T>(value, () => ReleaseAsync(key));
    }

    private ValueTask ReleaseAsync(string key)
    {
        lock (_leased)
        {
            if (!_leased.TryGetValue(key, out var held))
            {
                return ValueTask.CompletedTask;
            }
            if (held.Holders > 1)
            {
                _leased[key] = (held.Value, held.Holders - 1);
                return ValueTask.CompletedTask;
            }
            _leased.Remove(key);
            return held.Value.DisposeAsync();
        }
    }

    /// <summary>Disposes every resource created so far, leased ones whose holders did not release them included.</summary>
    public async ValueTask DisposeAsync()
    {
        List<IAsyncDisposable> leased;
        lock (_leased)
        {
            leased = _leased.Values.Select(l => l.Value).ToList();
            _leased.Clear();
        }
        foreach (var resource in leased)
        {
            await resource.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var resource in _resources.Values.Where(r => r.IsValueCreated).Select(r => r.Value))
        {
            switch (resource)
            {
                case IAsyncDisposable asynchronous:
                    await asynchronous.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
        _resources.Clear();
    }
}
