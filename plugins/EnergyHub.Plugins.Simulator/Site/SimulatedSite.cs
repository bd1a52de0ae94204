using EnergyHub.Readings;
namespace EnergyHub.Plugins.Simulator.Site;

/// <summary>The site at one instant, in SDK units and signs (grid + import, battery + charging).</summary>
public sealed record SiteSample(
    DateTimeOffset Time,
    double PvAvailableW,
    double PvW,
    double HouseLoadW,
    double EvW,
    double RelayW,
    double BatteryW,
    double BatterySocPct,
    double EvSocPct,
    double GridW,
    double ActivePowerLimitPct,
    double ImportPerKwh,
    double FeedInPerKwh)
{
    /// <summary>The charge power the battery would take at this instant (its taper near full), W.</summary>
    public double BatteryChargeLimitW { get; init; }

    /// <summary>The limit last written, %: what the inverter's register reads back at once, while <see cref="ActivePowerLimitPct"/> (in force) follows it.</summary>
    public double LimitSetpointPct { get; init; } = 100;

    /// <summary>PV not produced because of a limit, W.</summary>
    public double CurtailedW => PvAvailableW - PvW;

    /// <summary>Everything consumed, W.</summary>
    public double LoadW => HouseLoadW + EvW + RelayW;
}

/// <summary>Energy that has flowed since the start, Wh.</summary>
public sealed record SiteCounters
{
    public double PvWh { get; set; }
    public double PvCurtailedWh { get; set; }
    public double LoadWh { get; set; }
    public double ImportWh { get; set; }
    public double ExportWh { get; set; }
    public double BatteryChargeWh { get; set; }
    public double BatteryDischargeWh { get; set; }
    public double BatteryLossWh { get; set; }
    public double EvWh { get; set; }
}

/// <summary>
/// The physics of a simulated home: PV from a real profile behind an inverter that follows an active-power limit
/// (after a delay, with a ramp) or an export limit; a household load from a real profile; an AC-coupled battery in
/// self-consumption mode (efficiency split evenly between charge and discharge, SOC limits, charge taper above 90 %);
/// an EV on a 6–16 A wallbox; a relay-switched load; and the grid meter that balances it all. Time only moves
/// forward, in fixed steps, as devices read at later instants, so a run is deterministic for a given clock.
/// </summary>
public sealed class SimulatedSite
{
    private const double PhaseVoltageV = 230;
    private readonly SiteOptions _options;
    private readonly (double Import, double FeedIn)[] _prices;
    private readonly double _pvScale;
    private readonly double _loadScale;
    private readonly Queue<SiteSample> _history = new();
    private readonly object _gate = new();
    private double _batteryWh;
    private double _evWh;
    private double _limitPct = 100;
    private double _targetLimitPct = 100;
    private DateTimeOffset _limitFollowsFrom;
    private double? _exportLimitW;
    private (Devices.BatteryMode Mode, double? PowerW, double? TargetSocPct) _batteryMode = (Devices.BatteryMode.Auto, null, null);

    /// <summary>
    /// Creates the site at <paramref name="start"/>, with <paramref name="prices"/> per half hour of the local day or the
    /// recorded snapshot's, in <paramref name="siteZone"/> (the config's <c>[Common] TimeZone</c>) unless
    /// <see cref="SiteOptions.UtcOffsetHours"/> fixes an offset; a <paramref name="series"/> replaces the repeated day's PV
    /// and prices.
    /// </summary>
    public SimulatedSite(SiteOptions options, DateTimeOffset start, (double Import, double FeedIn)[]? prices = null, TimeZoneInfo? siteZone = null,
        HourlySeries? series = null)
    {
        _options = options;
        Series = series;
        Zone = options.UtcOffsetHours is { } hours ? Fixed(hours) : siteZone ?? Fixed(10);
        _prices = prices ?? Profiles.HalfHourlyPrices(options.PriceSnapshot, Zone);
        _pvScale = options.PvKwp / Profiles.ProfileKwp;
        _loadScale = options.AnnualLoadKwh / Profiles.ProfileAnnualLoadKwh;
        _batteryWh = options.BatteryCapacityWh * options.BatteryInitialSocPct / 100;
        _evWh = options.EvCapacityWh * options.EvInitialSocPct / 100;
        WallboxPhases = options.WallboxPhases;
        Current = Sample(start, 0, 0, 0);
        Step(start, TimeSpan.Zero); // the state at the start instant, without any energy flowing yet
    }

    /// <summary>PV and prices hour by hour over real time instead of the repeated day's, when the config names a file.</summary>
    public HourlySeries? Series { get; }

    /// <summary>
    /// With a <see cref="Series"/>: its hourly prices as a day-ahead market publishes them at <paramref name="time"/>, from
    /// the current hour to the end of the local day, or of the next day from 13:00 local time.
    /// </summary>
    public IReadOnlyList<PriceInterval> PublishedHours(DateTimeOffset time)
    {
        var local = Local(time);
        var endDay = local.Date.AddDays(local.Hour >= 13 ? 2 : 1);
        var end = new DateTimeOffset(endDay, Zone.GetUtcOffset(endDay)).ToUniversalTime();
        var hour = new DateTimeOffset(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);
        var intervals = new List<PriceInterval>();
        for (var start = hour; start < end && start < Series!.End; start = start.AddHours(1))
        {
            var (import, feedIn) = Series.PriceAt(start);
            intervals.Add(new PriceInterval(start, start.AddHours(1), import, feedIn, IsForecast: false));
        }
        return intervals;
    }

    /// <summary>The options it was built from.</summary>
    public SiteOptions Options => _options;

    /// <summary>The zone of the site's local time of day.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary><paramref name="time"/> in the site's local time (its zone's offset at that instant).</summary>
    public DateTimeOffset Local(DateTimeOffset time)
    {
        // The zone's offset changes only on a quarter-hour boundary; the physics asks for it every step.
        var quarter = time.UtcTicks / TimeSpan.TicksPerMinute / 15;
        var known = _offset;
        if (known.Quarter != quarter)
        {
            known = _offset = new ZoneOffset(quarter, Zone.GetUtcOffset(time));
        }
        return time.ToOffset(known.Offset);
    }

    private sealed record ZoneOffset(long Quarter, TimeSpan Offset);

    private ZoneOffset _offset = new(long.MinValue, TimeSpan.Zero);

    private static TimeZoneInfo Fixed(double hours) =>
        TimeZoneInfo.CreateCustomTimeZone($"UTC{hours:+0.##;-0.##}", TimeSpan.FromHours(hours), $"UTC{hours:+0.##;-0.##}", $"UTC{hours:+0.##;-0.##}");

    /// <summary>The latest state.</summary>
    public SiteSample Current { get; private set; }

    /// <summary>Energy totals since the start.</summary>
    public SiteCounters Counters { get; } = new();

    /// <summary>The wallbox current the EV charges with, A (0 = not charging).</summary>
    public int WallboxCurrentA { get; private set; }

    /// <summary>The phases the wallbox charges on: <see cref="SiteOptions.WallboxPhases"/> until a phase switch.</summary>
    public int WallboxPhases { get; private set; }

    /// <summary>Whether the relay load is on.</summary>
    public bool RelayOn { get; private set; }

    /// <summary>Called after every integration step, for tests that check the balance at each step.</summary>
    public Action<SiteSample, TimeSpan>? Stepped { get; set; }

    /// <summary>Moves the physics to <paramref name="time"/> and returns the state as it was <see cref="SiteOptions.MeasurementDelay"/> ago.</summary>
    public SiteSample Observe(DateTimeOffset time)
    {
        lock (_gate)
        {
            AdvanceTo(time);
            var seenAt = time - _options.MeasurementDelay;
            return _history.LastOrDefault(s => s.Time <= seenAt) ?? _history.Peek();
        }
    }

    /// <summary>Asks the inverter for <paramref name="percent"/> % of rated power; it follows after the response delay.</summary>
    public void SetActivePowerLimit(DateTimeOffset time, double percent)
    {
        lock (_gate)
        {
            AdvanceTo(time);
            _targetLimitPct = Math.Clamp(percent, 0, 100);
            _limitFollowsFrom = time + _options.InverterResponseDelay;
        }
    }

    /// <summary>Caps export at the grid connection, W; null lifts the cap.</summary>
    public void SetExportLimit(DateTimeOffset time, double? watts)
    {
        lock (_gate)
        {
            AdvanceTo(time);
            _exportLimitW = watts;
        }
    }

    /// <summary>
    /// Puts the battery into a mode, as an inverter's battery modes do: Auto is self-consumption, Hold never discharges
    /// but still stores PV surplus (never grid power) at up to <paramref name="powerW"/> (null: all it can), ChargeFromGrid charges at up to <paramref name="powerW"/> (more when the PV surplus is larger)
    /// until <paramref name="targetSocPct"/> and then self-consumes, Discharge discharges at up to <paramref name="powerW"/>.
    /// </summary>
    public void SetBatteryMode(DateTimeOffset time, Devices.BatteryMode mode, double? powerW, double? targetSocPct)
    {
        lock (_gate)
        {
            AdvanceTo(time);
            _batteryMode = (mode, powerW, targetSocPct);
        }
    }

    /// <summary>The battery's mode now.</summary>
    public Devices.BatteryMode BatteryMode => _batteryMode.Mode;

    /// <summary>Sets the wallbox current, A (0 stops, otherwise 6–16), and where given its phases (1 or 3, a phase switch relay).</summary>
    public void SetWallboxCurrent(DateTimeOffset time, int amps, int? phases = null)
    {
        lock (_gate)
        {
            AdvanceTo(time);
            WallboxCurrentA = amps < 6 ? 0 : Math.Min(amps, 16);
            WallboxPhases = phases is 1 ? 1 : phases is 3 ? 3 : WallboxPhases;
        }
    }

    /// <summary>Switches the relay load.</summary>
    public void SetRelay(DateTimeOffset time, bool on)
    {
        lock (_gate)
        {
            AdvanceTo(time);
            RelayOn = on;
        }
    }

    /// <summary>Import and feed-in price at <paramref name="time"/>, per kWh.</summary>
    public (double Import, double FeedIn) PriceAt(DateTimeOffset time)
    {
        if (Series is not null)
        {
            return Series.PriceAt(time);
        }
        var local = Local(time);
        return _prices[(int)(local.TimeOfDay.TotalMinutes / 30) % 48];
    }

    /// <summary>Start of the half hour containing <paramref name="time"/>.</summary>
    public static DateTimeOffset HalfHourStart(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.FromMinutes(30).Ticks, TimeSpan.Zero);

    private void AdvanceTo(DateTimeOffset time)
    {
        while (Current.Time < time)
        {
            var dt = time - Current.Time < _options.Step ? time - Current.Time : _options.Step;
            Step(Current.Time + dt, dt);
        }
    }

    private void Step(DateTimeOffset time, TimeSpan dt)
    {
        var hours = dt.TotalHours;
        var powerHours = Math.Max(hours, 1e-9); // limits stay finite on the zero-length first step
        // The inverter follows its limit after the response delay, ramping.
        if (time > _limitFollowsFrom && _limitPct != _targetLimitPct)
        {
            var following = time - (time - dt > _limitFollowsFrom ? time - dt : _limitFollowsFrom);
            var maxMove = _options.InverterRampPctPerSecond <= 0 ? 100 : _options.InverterRampPctPerSecond * following.TotalSeconds;
            _limitPct += Math.Clamp(_targetLimitPct - _limitPct, -maxMove, maxMove);
        }
        var local = Local(time);
        if (_options.EvDriveKwhPerDay > 0 && dt > TimeSpan.Zero && Local(time - dt).Date != local.Date)
        {
            _evWh = Math.Max(0, _evWh - _options.EvDriveKwhPerDay * 1000);
        }
        var minute = (int)local.TimeOfDay.TotalMinutes % 1440;
        var pvAvailable = Series?.PvW(time) ?? Profiles.PvPerMinuteW[minute] * _pvScale;
        var house = Profiles.LoadPerMinuteW[minute] * _loadScale;
        var pv = Math.Min(pvAvailable, _options.InverterRatedW * _limitPct / 100);

        var evRoom = _options.EvCapacityWh - _evWh;
        var ev = WallboxCurrentA > 0 && evRoom > 0 ? Math.Min(WallboxCurrentA * WallboxPhases * PhaseVoltageV, evRoom / powerHours) : 0;
        var relay = RelayOn ? _options.RelayLoadW : 0;
        var load = house + ev + relay;

        var battery = BatteryPower(pv - load, powerHours);
        var grid = load + battery - pv;
        if (_exportLimitW is { } cap && -grid > cap)
        {
            // Curtail just enough PV to keep export at the cap.
            pv -= -grid - cap;
            grid = -cap;
        }

        var efficiency = Math.Sqrt(_options.BatteryEfficiencyPct / 100);
        var stored = battery > 0 ? battery * hours * efficiency : battery * hours / efficiency;
        _batteryWh = Math.Clamp(_batteryWh + stored, 0, _options.BatteryCapacityWh);
        _evWh += ev * hours;

        Counters.PvWh += pv * hours;
        Counters.PvCurtailedWh += (pvAvailable - pv) * hours;
        Counters.LoadWh += load * hours;
        Counters.ImportWh += Math.Max(0, grid) * hours;
        Counters.ExportWh += Math.Max(0, -grid) * hours;
        Counters.BatteryChargeWh += Math.Max(0, battery) * hours;
        Counters.BatteryDischargeWh += Math.Max(0, -battery) * hours;
        Counters.BatteryLossWh += battery * hours - stored;
        Counters.EvWh += ev * hours;

        Current = Sample(time, pvAvailable, pv, house) with { EvW = ev, RelayW = relay, BatteryW = battery, GridW = grid };
        _history.Enqueue(Current);
        while (_history.Count > 2 && _history.Peek().Time < time - _options.MeasurementDelay - _options.Step)
        {
            _history.Dequeue();
        }
        if (dt > TimeSpan.Zero)
        {
            Stepped?.Invoke(Current, dt);
        }
    }

    // Self-consumption: surplus charges, deficit discharges, within power, SOC limits and the charge taper.
    private double BatteryPower(double surplusW, double hours)
    {
        var capacity = _options.BatteryCapacityWh;
        if (capacity <= 0)
        {
            return 0;
        }
        var efficiency = Math.Sqrt(_options.BatteryEfficiencyPct / 100);
        var available = Math.Max(0, _batteryWh - capacity * _options.BatteryMinSocPct / 100) * efficiency / hours;
        var (mode, powerW, target) = _batteryMode;
        switch (mode)
        {
            case Devices.BatteryMode.Hold:
                return surplusW > 0 ? Math.Min(Math.Min(surplusW, ChargeLimitW(hours)), powerW ?? double.PositiveInfinity) : 0;
            case Devices.BatteryMode.Discharge:
                return -Math.Min(Math.Min(powerW ?? _options.BatteryMaxDischargeW, _options.BatteryMaxDischargeW), available);
            case Devices.BatteryMode.ChargeFromGrid when _batteryWh / capacity * 100 < (target ?? _options.BatteryMaxSocPct):
                var room = ((target ?? _options.BatteryMaxSocPct) / 100 * capacity - _batteryWh) / efficiency / hours;
                return Math.Min(Math.Min(Math.Max(powerW ?? _options.BatteryMaxChargeW, surplusW), ChargeLimitW(hours)), room);
        }
        if (surplusW > 0)
        {
            return Math.Min(surplusW, ChargeLimitW(hours));
        }
        return -Math.Min(Math.Min(-surplusW, _options.BatteryMaxDischargeW), available);
    }

    // The most the battery takes now: full power below 90 %, tapering to a tenth above, never past the SOC limit.
    private double ChargeLimitW(double hours)
    {
        var capacity = _options.BatteryCapacityWh;
        if (capacity <= 0)
        {
            return 0;
        }
        var soc = _batteryWh / capacity * 100;
        var efficiency = Math.Sqrt(_options.BatteryEfficiencyPct / 100);
        var taper = soc < 90 ? 1 : Math.Max(0.1, (_options.BatteryMaxSocPct - soc) / Math.Max(1e-9, _options.BatteryMaxSocPct - 90));
        var room = Math.Max(0, capacity * _options.BatteryMaxSocPct / 100 - _batteryWh) / efficiency / hours;
        return Math.Min(_options.BatteryMaxChargeW * taper, room);
    }

    private SiteSample Sample(DateTimeOffset time, double pvAvailable, double pv, double house)
    {
        var (import, feedIn) = PriceAt(time);
        return new SiteSample(time, pvAvailable, pv, house, 0, 0, 0,
            _options.BatteryCapacityWh > 0 ? _batteryWh / _options.BatteryCapacityWh * 100 : 0,
            _options.EvCapacityWh > 0 ? _evWh / _options.EvCapacityWh * 100 : 0,
            0, _limitPct, import, feedIn) { BatteryChargeLimitW = ChargeLimitW(_options.Step.TotalHours), LimitSetpointPct = _targetLimitPct };
    }
}
