using System.Text.Json;
using EnergyHub.Services;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Scheduling;

/// <summary>
/// The settings of the services running now (<see cref="IHasSettings"/>) and the values their owner gave them, kept in
/// <c>DataDir/settings.json</c>: a restarted service instance, or EnergyHub after a restart, gets them back. Only a
/// switched-on service's settings can be changed; nothing else acts on them. A new DataDir (no file yet: a new SD card,
/// a recreated container) may take the values back from where they were published (<see cref="Restore"/>).
/// </summary>
public sealed class ServiceSettingsStore(string? path, ILogger logger) : IServiceSettings
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IReadOnlyList<ServiceSetting>> _live = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Dictionary<string, string>> _saved = Load(path, logger);
    private readonly Dictionary<(string Service, string Name), string> _restored = [];

    /// <summary>True when it started without its file (a new DataDir): only then do <see cref="Restore"/>d values apply.</summary>
    public bool StartedFresh { get; } = path is not null && !File.Exists(path);

    /// <inheritdoc />
    public event Action<string, ServiceSetting>? Changed;

    /// <summary>Raised after a change with where it came from, for the journal (a <c>setting_changed</c> decision of the service).</summary>
    public event Action<SettingChange>? Applied;

    /// <inheritdoc />
    public IReadOnlyList<(string Service, ServiceSetting Setting)> All()
    {
        lock (_gate)
        {
            return [.. _live.OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => kv.Value.Select(s => (kv.Key, s)))];
        }
    }

    /// <summary>Registers a new instance of <paramref name="service"/> and gives it the values its owner set before.</summary>
    public void Attach(string service, IService instance)
    {
        if (instance is not IHasSettings { Settings: { Count: > 0 } settings })
        {
            return;
        }
        lock (_gate)
        {
            _live[service] = settings;
            if (StartedFresh && !File.Exists(path))
            {
                Save(); // the next start is not fresh: the broker's values restore a new DataDir once, not every config change
            }
            foreach (var (name, text) in _saved.TryGetValue(service, out var saved) ? saved.ToList() : [])
            {
                var setting = settings.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
                var problem = setting is null ? "the service has no such setting" : setting.TryApply(text);
                if (problem is not null)
                {
                    logger.LogWarning("{Service}: the saved setting {Name} = {Value} no longer applies ({Problem}); the configured value is used",
                        service, name, text, problem);
                    saved!.Remove(name);
                }
            }
        }
        foreach (var setting in settings)
        {
            Changed?.Invoke(service, setting);
        }
        List<KeyValuePair<(string Service, string Name), string>> restored;
        lock (_gate)
        {
            restored = [.. _restored.Where(r => string.Equals(r.Key.Service, service, StringComparison.OrdinalIgnoreCase))];
            foreach (var r in restored)
            {
                _restored.Remove(r.Key);
            }
        }
        foreach (var ((_, name), text) in restored)
        {
            Restore(service, name, text);
        }
    }

    /// <summary>
    /// A value the site had before its DataDir was new (the broker's retained setting, as pv-control restored its mode
    /// on start): applied and kept as if the owner had set it, while the store <see cref="StartedFresh"/> and nobody
    /// set the setting since. A service not running yet gets it when it starts.
    /// </summary>
    public void Restore(string service, string name, string text)
    {
        lock (_gate)
        {
            if (!StartedFresh || _saved.TryGetValue(service, out var saved) && saved.ContainsKey(name))
            {
                return;
            }
            if (!_live.TryGetValue(service, out var settings))
            {
                _restored[(service, name)] = text;
                return;
            }
            if (!settings.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                return; // not a setting (another retained topic of the same shape)
            }
        }
        if (ApplyFrom(service, name, text, "the value the broker kept") is { } problem)
        {
            logger.LogWarning("{Service}: the published {Name} = {Value} could not be restored ({Problem}); the configured value is used", service, name, text, problem);
        }
        else
        {
            logger.LogInformation("{Service}: {Name} restored to {Value} from the value published before (this DataDir is new)", service, name, text);
        }
    }

    /// <summary>
    /// Sets <paramref name="service"/>'s <paramref name="name"/> to <paramref name="text"/>; returns why it was refused
    /// (naming the allowed values), or null when it was applied and saved.
    /// </summary>
    public string? Apply(string service, string name, string text) => Apply(service, name, text, "a service or plugin");

    /// <summary>
    /// The same, saying where the change came from (<paramref name="source"/>: the page or API client's address, an MQTT
    /// topic): the log line of every change and of every refusal names it.
    /// </summary>
    public string? Apply(string service, string name, string text, string source)
    {
        var refused = ApplyFrom(service, name, text, source);
        if (refused is not null)
        {
            logger.LogWarning("{Service}: {Name} = '{Value}' from {Source} refused: {Problem}", service, name, text.Length > 40 ? text[..40] + "…" : text, source, refused);
        }
        return refused;
    }

    private string? ApplyFrom(string service, string name, string text, string source)
    {
        string? before;
        ServiceSetting setting;
        lock (_gate)
        {
            if (!_live.TryGetValue(service, out var settings))
            {
                return $"no switched-on service {service} has settings" + (_live.Count > 0 ? $" (those that do: {string.Join(", ", _live.Keys.Order(StringComparer.Ordinal))})" : "");
            }
            if (settings.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) is not { } found)
            {
                return $"{service} has no setting {name}; it has {string.Join(", ", settings.Select(s => s.Name))}";
            }
            setting = found;
            before = setting.Current;
            if (setting.TryApply(text) is { } problem)
            {
                return $"{service}/{setting.Name}: {problem}";
            }
            if (!_saved.TryGetValue(service, out var saved))
            {
                _saved[service] = saved = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            }
            saved[setting.Name] = setting.Current;
            Save();
        }
        logger.LogInformation("{Service}: {Name} set to {Value}{Unit} (was {Before}) by {Source}", service, setting.Name, setting.Current,
            setting.Unit.Length > 0 ? " " + setting.Unit : "", before, source);
        Changed?.Invoke(service, setting);
        Applied?.Invoke(new SettingChange(service, setting.Name, setting.Current, before, source));
        return null;
    }

    private void Save()
    {
        if (path is null)
        {
            return;
        }
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(_saved, new JsonSerializerOptions { WriteIndented = true }));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Settings could not be saved to {Path} ({Error}); they apply until EnergyHub stops", path, ex.Message);
        }
    }

    private static Dictionary<string, Dictionary<string, string>> Load(string? path, ILogger logger)
    {
        var empty = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        if (path is null || !File.Exists(path))
        {
            return empty;
        }
        try
        {
            var loaded = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(File.ReadAllText(path)) ?? [];
            foreach (var (service, values) in loaded)
            {
                empty[service] = new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase);
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            logger.LogWarning("Saved settings in {Path} cannot be read ({Error}); the configured values are used. Delete the file to silence this", path, ex.Message);
        }
        return empty;
    }
}

/// <summary>One applied change of a service setting.</summary>
/// <param name="Service">The service.</param>
/// <param name="Name">The setting.</param>
/// <param name="Value">Its value now.</param>
/// <param name="Before">Its value before.</param>
/// <param name="Source">Where the change came from: the web API and the client's address, an MQTT topic, a plugin.</param>
public sealed record SettingChange(string Service, string Name, string Value, string? Before, string Source)
{
    /// <summary>The decision a change is journaled as.</summary>
    public const string Decision = "setting_changed";

    /// <summary>Records this change as <paramref name="log"/>'s <see cref="Decision"/>.</summary>
    public void RecordIn(EnergyHub.Core.Events.DecisionLog log) => log.For(Service).Record(new SettingChanged(Name, Value, Before, Source));
}

/// <summary>A setting changed by its owner, as journaled.</summary>
/// <param name="Setting">The setting.</param>
/// <param name="Value">Its value now.</param>
/// <param name="Was">Its value before.</param>
/// <param name="Source">Where the change came from.</param>
public sealed record SettingChanged(string Setting, string Value, string? Was, string Source) : EnergyHub.Services.Decision
{
    /// <inheritdoc />
    public override string Name => SettingChange.Decision;
}
