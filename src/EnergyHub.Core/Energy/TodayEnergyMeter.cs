using System.Text.Json;
using EnergyHub.Core.Devices;
using EnergyHub.Services;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Energy;

/// <summary>
/// Counts <see cref="TodayEnergy"/> from the site's balance at every reading: each flow held from one reading to the
/// next (a gap over <see cref="MaxGap"/> counts as nothing), the import and feed-in prices of the first price source at
/// that instant, EV power summed over the chargers. It starts over at local midnight in the site's zone
/// (<c>[Common] TimeZone</c>) and is kept in the journal every few minutes and on stop, so a restart goes on counting.
/// </summary>
public sealed class TodayEnergyMeter : IDisposable
{
    /// <summary>The longest time one reading's flows are held for.</summary>
    public static readonly TimeSpan MaxGap = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SaveEvery = TimeSpan.FromMinutes(5);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly object _gate = new();
    private readonly SiteState _site;
    private readonly TimeProvider _time;
    private readonly IServiceStateStore? _store;
    private readonly ILogger _logger;
    private TodayEnergy? _today;
    private DateTimeOffset? _last;
    private DateTimeOffset _saved;

    /// <summary>Starts counting; takes today's counts back from <paramref name="store"/> when it holds them.</summary>
    public TodayEnergyMeter(SiteState site, TimeProvider time, IServiceStateStore? store, ILogger<TodayEnergyMeter> logger)
    {
        (_site, _time, _store, _logger) = (site, time, store, logger);
        _today = Restore();
        _saved = time.GetUtcNow();
        site.ReadingRecorded += OnReading;
    }

    /// <summary>Today's counts so far.</summary>
    public TodayEnergy Today
    {
        get
        {
            lock (_gate)
            {
                var day = Day(_time.GetUtcNow());
                return _today is { } today && today.Day == day ? today : new TodayEnergy(day);
            }
        }
    }

    private DateOnly Day(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, _time.LocalTimeZone).DateTime);

    private void OnReading(string device, Readings.DeviceReading reading)
    {
        var now = _time.GetUtcNow();
        var snapshot = _site.Snapshot();
        var balance = snapshot.Balance;
        var evW = snapshot.Devices.Values.Sum(d => d.Reading?.Charger?.PowerW ?? 0);
        var prices = snapshot.Devices.Values.Select(d => d.Reading?.Prices).OfType<Readings.PriceSeries>().FirstOrDefault();
        var price = prices?.At(now);
        TodayEnergy? save = null;
        lock (_gate)
        {
            var day = Day(now);
            if (_today is null || _today.Day != day)
            {
                _today = new TodayEnergy(day);
                _last = null;
            }
            if (_last is { } last && now > last && now - last <= MaxGap)
            {
                var hours = (now - last).TotalHours;
                _today = _today.Add(hours, balance.GridW, balance.PvW, balance.BatteryW, balance.LoadW, evW, price?.ImportPerKwh, price?.FeedInPerKwh,
                    price is null ? null : prices!.Currency)
                    .WithoutEnergyHub(hours, balance.LoadW, balance.PvAvailableW, price?.ImportPerKwh, price?.FeedInPerKwh, SelfConsuming(snapshot)) with { CountedUntil = now };
            }
            _last = now;
            if (now - _saved >= SaveEvery)
            {
                (_saved, save) = (now, _today);
            }
        }
        if (save is not null)
        {
            Save(save);
        }
    }

    // The site's (first) battery as its own self-consumption would run it, from what it reports.
    private static SelfConsumingBattery? SelfConsuming(Site.SiteSnapshot snapshot)
    {
        foreach (var device in snapshot.Devices.Values)
        {
            if (device.Reading?.Battery is { } reading && device.Facts.Battery is { CapacityWh: > 0 } facts)
            {
                var capacity = facts.CapacityWh.Value;
                return new SelfConsumingBattery(capacity, facts.MaxChargeW ?? capacity / 2, facts.MaxDischargeW ?? capacity / 2, facts.RoundTripEfficiencyPct ?? 90,
                    facts.MinSocPct ?? 10, facts.MaxSocPct ?? 100, reading.SocPct);
            }
        }
        return null;
    }

    private TodayEnergy? Restore()
    {
        try
        {
            var now = _time.GetUtcNow();
            return _store?.Load("Site", "today") is { } json && JsonSerializer.Deserialize<TodayEnergy>(json, Json) is { } kept && kept.Day == Day(now)
                && (kept.CountedUntil is not { } until || until <= now)
                ? kept
                : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            _logger.LogWarning("Today's energy could not be read back from the journal ({Error}); counting starts from now", ex.Message);
            return null;
        }
    }

    private void Save(TodayEnergy today)
    {
        try
        {
            _store?.Save("Site", "today", JsonSerializer.Serialize(today, Json));
        }
        catch (IOException ex)
        {
            _logger.LogWarning("Today's energy could not be kept in the journal ({Error}); it is kept in memory", ex.Message);
        }
    }

    /// <summary>Keeps today's counts and stops counting.</summary>
    public void Dispose()
    {
        _site.ReadingRecorded -= OnReading;
        TodayEnergy? today;
        lock (_gate)
        {
            today = _today;
        }
        if (today is not null)
        {
            Save(today);
        }
    }
}
