using EnergyHub.Readings;

namespace EnergyHub.Services.SurplusDistributor;

/// <summary>
/// Whether a wallbox given a surplus allowance has nothing to charge, so the allowance goes to others (es-ESS ESS-39):
/// no car or a car the charger reports complete, or a car that took no power for <see cref="FullAfter"/> while it was
/// allowed to (a full car that the charger still calls "charging"). The latter holds until the car is unplugged or
/// draws again.
/// </summary>
public sealed class CarFullDetector
{
    /// <summary>How long a car may take no power while allowed before it counts as full.</summary>
    public static readonly TimeSpan FullAfter = TimeSpan.FromSeconds(120);

    /// <summary>Below this a car takes no power, W.</summary>
    public const double IdleW = 100;

    private static readonly string Full = $"the car took no power for {FullAfter.TotalMinutes:0} min while allowed: it is full until it is unplugged or draws again";
    private readonly Dictionary<string, DateTimeOffset> _idleSince = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _full = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="key"/>'s charger has nothing to charge at <paramref name="now"/>, or null when it may take an allowance.</summary>
    /// <param name="key">The consumer.</param>
    /// <param name="charger">Its charger reading; null for a consumer that is not a charger.</param>
    /// <param name="grantedW">What it was allowed in the last cycle, W.</param>
    /// <param name="now">The time.</param>
    public string? NothingToCharge(string key, EvChargerReading? charger, double grantedW, DateTimeOffset now)
    {
        if (charger is null)
        {
            return null;
        }
        if (charger.Car is EvCarState.Disconnected or EvCarState.Complete)
        {
            _idleSince.Remove(key);
            _full.Remove(key);
            return charger.Car == EvCarState.Disconnected ? "no car is plugged in: nothing to charge" : "the charger reports the car complete: nothing to charge";
        }
        if (charger.PowerW >= IdleW)
        {
            _idleSince.Remove(key);
            _full.Remove(key);
            return null;
        }
        if (_full.Contains(key))
        {
            return Full;
        }
        if (grantedW <= 0)
        {
            _idleSince.Remove(key);
            return null;
        }
        var since = _idleSince.TryGetValue(key, out var at) ? at : _idleSince[key] = now;
        if (now - since < FullAfter)
        {
            return null;
        }
        _full.Add(key);
        return Full;
    }
}
