namespace EnergyHub.Services.ExportGuard;

/// <summary>Decides which raw payloads go into decision events: <c>always</c>, <c>on_change</c> or <c>never</c>.</summary>
public sealed class RawPayloadFilter(string mode)
{
    private readonly Dictionary<string, string> _stored = [];

    /// <summary>The payload of <paramref name="source"/> to store with this event, or null when it is not to be stored.</summary>
    public string? Take(string source, string? payload)
    {
        if (payload is null || mode == "never")
        {
            return null;
        }
        if (mode == "on_change" && _stored.TryGetValue(source, out var last) && last == payload)
        {
            return null;
        }
        _stored[source] = payload;
        return payload;
    }
}
