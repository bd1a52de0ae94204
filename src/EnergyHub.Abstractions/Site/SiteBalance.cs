using EnergyHub.Devices;

namespace EnergyHub.Site;

/// <summary>
/// The site's power flows, each counted once from the devices that play its role, in SDK signs (grid + import, battery
/// + charging). Two devices that report the same flow (a battery system's own grid meter and an inverter's meter block)
/// are not added up: the grid comes from one meter.
/// </summary>
/// <param name="GridW">From <see cref="GridMeter"/>; null when no device meters the grid or it has not been read.</param>
/// <param name="PvW">AC output of every inverter (PV input of a hybrid, which is also a battery) plus every PV meter; null when there is none.</param>
/// <param name="BatteryW">The sum over every battery; null when there is none.</param>
/// <param name="LoadW">The house's load where a device measures it (a <see cref="Readings.DeviceReading.Load"/> part; a
/// Load-role meter is one sub-circuit, not the house), else PV + grid − battery (never below 0); null while unknown.</param>
/// <param name="SocPct">State of charge over every battery (weighted by capacity where every capacity is known).</param>
/// <param name="GridMeter">The device the grid power comes from.</param>
public sealed record SiteBalance(double? GridW, double? PvW, double? BatteryW, double? LoadW, double? SocPct, string? GridMeter)
{
    /// <summary>
    /// PV the inverters hold back now and could produce at once if told: each inverter's reported curtailed power, at
    /// most up to its rated power (what the sun offers beyond the rating is lost anyway); 0 when none reports it.
    /// </summary>
    public double PvHeadroomW { get; init; }

    /// <summary>PV the site could use now: what it produces plus <see cref="PvHeadroomW"/>; null when there is no PV.</summary>
    public double? PvAvailableW => PvW + PvHeadroomW;

    /// <summary>
    /// What the site could give away now without importing: export, plus what is held back by a limit. Services that
    /// share surplus count from this, so a curtailing export guard never hides PV that an EV or a heater could take.
    /// </summary>
    public double? SurplusW => -GridW + PvHeadroomW;

    /// <summary><see cref="PvHeadroomW"/> of <paramref name="site"/>, without working out the rest of the balance.</summary>
    public static double PvHeadroomOf(SiteSnapshot site) => site.Devices.Values
        .Where(d => d.Reading is not null && d.Facts.Has<IInverter>())
        .Sum(d => HeadroomOf(d.Reading!.Inverter, d.Facts.RatedPowerW));

    /// <summary>Headroom of one inverter's reading: its curtailed power up to its rating (unrated: all of it).</summary>
    public static double HeadroomOf(Readings.InverterReading? inverter, double? ratedW) =>
        inverter?.CurtailedPowerW is not > 0 ? 0
        : ratedW is > 0 ? Math.Clamp(ratedW.Value - inverter.AcPowerW, 0, inverter.CurtailedPowerW.Value) : inverter.CurtailedPowerW.Value;

    /// <summary>
    /// The balance of <paramref name="site"/>: the grid from <paramref name="gridMeter"/> when given, else from the first
    /// device (in config order) that meters the grid.
    /// </summary>
    public static SiteBalance Of(SiteSnapshot site, string? gridMeter = null)
    {
        var devices = site.Devices.Values.Where(d => d.Reading is not null).ToList();
        var grid = string.IsNullOrEmpty(gridMeter)
            ? devices.FirstOrDefault(d => d.Facts.MeterRole == MeterRole.Grid && d.Reading!.Meter is not null)
            : devices.FirstOrDefault(d => string.Equals(d.Id, gridMeter, StringComparison.OrdinalIgnoreCase));
        var gridW = grid?.Reading!.Meter?.PowerW;

        // A hybrid's AC output includes its battery, which is counted as the battery: its PV is the PV input.
        var pv = devices.Select(d => d.Facts.Has<IInverter>() ? d.Facts.Has<IBattery>() ? d.Reading!.Inverter?.PvPowerW : d.Reading!.Inverter?.AcPowerW
                : d.Facts.MeterRole == MeterRole.Pv ? d.Reading!.Meter?.PowerW : null)
            .OfType<double>().ToList();
        var batteries = devices.Where(d => d.Facts.Has<IBattery>() && d.Reading!.Battery is not null).ToList();
        var batteryW = batteries.Count == 0 ? (double?)null : batteries.Sum(d => d.Reading!.Battery!.PowerW);
        var pvW = pv.Count == 0 ? (double?)null : pv.Sum();

        // Only a house-load part measures the house: a Load-role meter is a sub-circuit (a heater's plug), not the house.
        var measuredLoad = devices.Select(d => d.Reading!.Load?.PowerW).OfType<double>().FirstOrDefault(double.NaN);
        var loadW = !double.IsNaN(measuredLoad) ? measuredLoad
            : pvW is { } p && gridW is { } g ? Math.Max(0, p + g - (batteryW ?? 0)) : (double?)null;

        return new SiteBalance(gridW, pvW, batteryW, loadW, Soc(batteries), grid?.Id) { PvHeadroomW = PvHeadroomOf(site), BatteryTimeToGo = TimeToGo(batteries) };
    }

    /// <summary>
    /// How long the batteries take, at their power now, to reach their reserve (discharging) or their top (charging);
    /// null while they idle (under 10 W either way) or when a capacity is not known. es-ESS's time-to-go.
    /// </summary>
    public BatteryTimeToGo? BatteryTimeToGo { get; init; }

    private static BatteryTimeToGo? TimeToGo(IReadOnlyList<DeviceState> batteries)
    {
        if (batteries.Count == 0 || batteries.Any(b => b.Facts.Battery?.CapacityWh is not > 0))
        {
            return null;
        }
        var powerW = batteries.Sum(b => b.Reading!.Battery!.PowerW);
        if (Math.Abs(powerW) < 10)
        {
            return null;
        }
        // The energy left to the reserve, or the room to the top, of every battery together.
        var wh = batteries.Sum(b =>
        {
            var (facts, soc) = (b.Facts.Battery!, b.Reading!.Battery!.SocPct);
            var pct = powerW > 0 ? (facts.MaxSocPct ?? 100) - soc : soc - (facts.MinSocPct ?? 0);
            return Math.Max(0, pct) / 100 * facts.CapacityWh!.Value;
        });
        return new BatteryTimeToGo(TimeSpan.FromHours(wh / Math.Abs(powerW)), powerW > 0 ? BatteryGoal.Full : BatteryGoal.Reserve);
    }

    private static double? Soc(IReadOnlyList<DeviceState> batteries)
    {
        if (batteries.Count == 0)
        {
            return null;
        }
        var capacities = batteries.Select(b => b.Facts.Battery?.CapacityWh).ToList();
        return capacities.All(c => c is > 0)
            ? batteries.Zip(capacities).Sum(x => x.First.Reading!.Battery!.SocPct * x.Second!.Value) / capacities.Sum(c => c!.Value)
            : batteries.Average(b => b.Reading!.Battery!.SocPct);
    }
}

/// <summary>Where the batteries are heading at their power now.</summary>
public enum BatteryGoal
{
    /// <summary>Charging, to their top.</summary>
    Full,
    /// <summary>Discharging, to their reserve.</summary>
    Reserve,
}

/// <summary>How long the batteries take to reach <paramref name="Goal"/> at their power now.</summary>
/// <param name="Time">The time it takes.</param>
/// <param name="Goal">Full or the reserve.</param>
public sealed record BatteryTimeToGo(TimeSpan Time, BatteryGoal Goal);
