using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Services;

/// <summary>
/// A service's small state kept in the journal (<see cref="IServiceStateStore"/>) under one key: restored at the first
/// tick, saved every <paramref name="every"/> and on stop, and never saved before it was restored (a stop before the
/// first tick leaves what was kept). A store that fails is logged once per failure with what happens next; the
/// service goes on in memory.
/// </summary>
internal sealed class KeptState(IServiceStateStore? store, string service, string key, string what, TimeSpan every, ILogger logger)
{
    private DateTimeOffset? _savedAt;

    /// <summary>At the first call hands <paramref name="restore"/> the kept JSON (if any); later, saves <paramref name="save"/>'s JSON when due.</summary>
    public void Tick(DateTimeOffset now, Action<string> restore, Func<string> save)
    {
        if (_savedAt is null)
        {
            _savedAt = now;
            try
            {
                if (store?.Load(service, key) is { } json)
                {
                    restore(json);
                }
            }
            catch (Exception ex) when (ex is JsonException or IOException)
            {
                logger.LogWarning("{What} kept in the journal could not be read ({Problem}); counting starts again from 0", what, ex.Message);
            }
            return;
        }
        if (now - _savedAt >= every)
        {
            Save(now, save);
        }
    }

    /// <summary>Saves on stop, when it was restored before.</summary>
    public void Stop(DateTimeOffset now, Func<string> save)
    {
        if (_savedAt is not null)
        {
            Save(now, save);
        }
    }

    private void Save(DateTimeOffset now, Func<string> save)
    {
        _savedAt = now;
        try
        {
            store?.Save(service, key, save());
        }
        catch (IOException ex)
        {
            logger.LogWarning("Could not keep {What} in the journal ({Problem}); it is kept in memory and tried again in {Minutes} minutes",
                what, ex.Message, every.TotalMinutes);
        }
    }
}
