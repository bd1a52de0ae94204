namespace EnergyHub.Services.Tests;

/// <summary>A journal's service state in memory: what a service keeps across a restart, keyed "Service/key".</summary>
internal sealed class MemoryStateStore : IServiceStateStore
{
    public Dictionary<string, string> Values { get; } = [];

    public string? Load(string service, string key) => Values.GetValueOrDefault($"{service}/{key}");

    public void Save(string service, string key, string json) => Values[$"{service}/{key}"] = json;
}
