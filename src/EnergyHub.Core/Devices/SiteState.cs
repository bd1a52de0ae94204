using EnergyHub.Readings;
using EnergyHub.Site;

namespace EnergyHub.Core.Devices;

/// <summary>
/// What is true now: the latest reading of every device with its age and health. Pollers write it;
/// services, the API and the CLI read immutable <see cref="SiteSnapshot"/>s of it.
/// </summary>
public sealed class SiteState
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;
    private readonly string? _gridMeter;

    /// <param name="devices">The site's devices.</param>
    /// <param name="time">The clock ages and health are computed with.</param>
    /// <param name="gridMeter">The device configured as the grid meter (<c>[Common] GridMeter</c>), if any.</param>
    public SiteState(DeviceRegistry devices, TimeProvider time, string? gridMeter = null)
    {
        _time = time;
        _gridMeter = string.IsNullOrEmpty(gridMeter) ? null : gridMeter;
        foreach (var session in devices.Sessions)
        {
            _entries[session.Id] = new Entry(session);
        }
    }

    /// <summary>The site's board for plans its services make together.</summary>
    public EnergyHub.Services.SitePlans Plans { get; } = new();

    /// <summary>Raised after every successful read, outside the lock; handlers must not block (the journal queues).</summary>
    public event Action<string, DeviceReading>? ReadingRecorded;

    /// <summary>Raised when a device's health changes at a read, as the one shape the journal, the stream and the observers share.</summary>
    public event Action<EnergyHub.Observers.HealthObserved>? HealthChanged;

    /// <summary>Records a successful read; returns the device's health before and after.</summary>
    /// <remarks>
    /// A read that returns the reading already recorded (a push device with no new message) refreshes health but raises
    /// no <see cref="ReadingRecorded"/>: the journal, the stream and observers get each measurement once.
    /// </remarks>
    public (DeviceHealth Before, DeviceHealth After) RecordSuccess(string id, DeviceReading reading)
    {
        var isNew = true;
        var change = Update(id, entry =>
        {
            isNew = !ReferenceEquals(entry.Reading, reading);
            entry.Reading = reading;
            entry.Facts = DeviceFacts.Of(entry.Session.Device, confirmed: true);
            entry.ConsecutiveFailures = 0;
            entry.LastError = null;
        });
        if (isNew)
        {
            ReadingRecorded?.Invoke(id, reading);
        }
        return change;
    }

    /// <summary>Records a failed read; returns the device's health before and after.</summary>
    public (DeviceHealth Before, DeviceHealth After) RecordFailure(string id, string error) =>
        Update(id, entry =>
        {
            entry.ConsecutiveFailures++;
            entry.LastError = error;
        });

    /// <summary>The state of every device, with ages and health computed now.</summary>
    public SiteSnapshot Snapshot()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return new SiteSnapshot(now, _entries.ToDictionary(kv => kv.Key, kv => kv.Value.ToState(now), StringComparer.OrdinalIgnoreCase)) { GridMeter = _gridMeter };
        }
    }

    /// <summary>Failed reads of one device since its last success.</summary>
    public int FailuresOf(string id)
    {
        lock (_gate)
        {
            return _entries[id].ConsecutiveFailures;
        }
    }

    /// <summary>The roles, abilities and facts of one device as of its last read.</summary>
    public DeviceFacts FactsOf(string id)
    {
        lock (_gate)
        {
            return _entries[id].Facts;
        }
    }

    /// <summary>The last read error of one device, if its last read failed.</summary>
    public string? LastErrorOf(string id)
    {
        lock (_gate)
        {
            return _entries[id].LastError;
        }
    }

    /// <summary>The health of one device now.</summary>
    public DeviceHealth HealthOf(string id)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return _entries[id].HealthAt(now);
        }
    }

    private (DeviceHealth, DeviceHealth) Update(string id, Action<Entry> change)
    {
        var now = _time.GetUtcNow();
        DeviceHealth before, after;
        string? error;
        lock (_gate)
        {
            // Before is the health last reported, not the health now: a reading that aged past StaleAfter since the last
            // read (a silent push device, cached prices) is a change too, though the read alone does not make it one.
            var entry = _entries[id];
            before = entry.Reported;
            change(entry);
            (after, error) = (entry.HealthAt(now), entry.LastError);
            entry.Reported = after;
        }
        if (before != after)
        {
            HealthChanged?.Invoke(new EnergyHub.Observers.HealthObserved(now, id, before, after, error));
        }
        return (before, after);
    }

    private sealed class Entry(DeviceSession session)
    {
        public DeviceSession Session => session;
        public DeviceFacts Facts { get; set; } = DeviceFacts.Of(session.Device, confirmed: false);
        public DeviceReading? Reading { get; set; }
        public int ConsecutiveFailures { get; set; }
        public string? LastError { get; set; }
        public DeviceHealth Reported { get; set; } = DeviceHealth.Unknown;

        public DeviceHealth HealthAt(DateTimeOffset now)
        {
            if (ConsecutiveFailures >= session.Options.OfflineAfterFailures)
            {
                return DeviceHealth.Offline;
            }
            if (Reading is null)
            {
                return DeviceHealth.Unknown;
            }
            return now - Reading.Timestamp > session.Options.EffectiveStaleAfter ? DeviceHealth.Stale : DeviceHealth.Online;
        }

        public DeviceState ToState(DateTimeOffset now) => new(
            session.Id, session.Driver, session.DisplayName, Reading, HealthAt(now),
            Reading is null ? null : now - Reading.Timestamp, ConsecutiveFailures, LastError) { Facts = Facts };
    }
}
