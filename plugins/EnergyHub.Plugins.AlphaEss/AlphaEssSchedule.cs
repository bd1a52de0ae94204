using System.Globalization;
using System.Text.Json;
using EnergyHub.Devices;

namespace EnergyHub.Plugins.AlphaEss;

/// <summary>AlphaESS's grid-charge configuration (<c>getChargeConfigInfo</c> / <c>updateChargeConfigInfo</c>): two windows, local <c>HH:mm</c>.</summary>
/// <param name="GridCharge">Charge from the grid inside the windows.</param>
/// <param name="From1">Window 1 start.</param>
/// <param name="To1">Window 1 end.</param>
/// <param name="From2">Window 2 start (<c>00:00</c>–<c>00:00</c> = off).</param>
/// <param name="To2">Window 2 end.</param>
/// <param name="BatHighCapPct">The state of charge where grid charging stops, % (at least 10).</param>
public sealed record AlphaEssChargeConfig(bool GridCharge, string From1, string To1, string From2, string To2, int BatHighCapPct);

/// <summary>AlphaESS's discharge configuration (<c>getDisChargeConfigInfo</c> / <c>updateDisChargeConfigInfo</c>).</summary>
/// <param name="CtrDis">Discharge only inside the windows.</param>
/// <param name="From1">Window 1 start.</param>
/// <param name="To1">Window 1 end.</param>
/// <param name="From2">Window 2 start.</param>
/// <param name="To2">Window 2 end.</param>
/// <param name="BatUseCapPct">The state of charge discharging stops at, %.</param>
public sealed record AlphaEssDischargeConfig(bool CtrDis, string From1, string To1, string From2, string To2, int BatUseCapPct);

/// <summary>
/// <see cref="BatteryMode"/>s as AlphaESS's charge and discharge windows, which sit on a 15-minute grid up to 23:45:
/// ChargeFromGrid is a grid-charge window from the current quarter hour for a while (split at midnight into the second
/// window) with the target as <c>batHighCap</c>; Hold is discharge time control with no window (PV surplus still
/// charges); Auto is neither. AlphaESS cannot be told to discharge into the grid or to charge at a power.
/// </summary>
public static class AlphaEssSchedule
{
    private const string Off = "00:00";
    private const string LastQuarter = "23:45";

    /// <summary>The configurations for <paramref name="mode"/> at local time <paramref name="localNow"/>; <paramref name="keepDischargeFloorPct"/> is the discharge floor to keep.</summary>
    /// <exception cref="ArgumentOutOfRangeException">For <see cref="BatteryMode.Discharge"/> (not among the driver's <c>Modes</c>, so the gate never asks).</exception>
    public static (AlphaEssChargeConfig Charge, AlphaEssDischargeConfig Discharge) For(BatteryMode mode, double? targetSocPct, DateTime localNow, TimeSpan window,
        int keepDischargeFloorPct)
    {
        var noDischargeControl = new AlphaEssDischargeConfig(false, Off, Off, Off, Off, keepDischargeFloorPct);
        var noGridCharge = new AlphaEssChargeConfig(false, Off, Off, Off, Off, 100);
        switch (mode)
        {
            case BatteryMode.Auto:
                return (noGridCharge, noDischargeControl);
            case BatteryMode.Hold:
                return (noGridCharge, noDischargeControl with { CtrDis = true });
            case BatteryMode.ChargeFromGrid:
                var start = localNow.Date.AddMinutes(Math.Floor(localNow.TimeOfDay.TotalMinutes / 15) * 15);
                var end = start + window;
                var target = (int)Math.Clamp(Math.Round(targetSocPct ?? 100), 10, 100);
                var charge = end.Date == start.Date || end.TimeOfDay == TimeSpan.Zero
                    ? new AlphaEssChargeConfig(true, Hhmm(start), end.Date == start.Date ? Hhmm(end) : LastQuarter, Off, Off, target)
                    : new AlphaEssChargeConfig(true, Hhmm(start), LastQuarter, Off, Hhmm(end), target);
                return (charge, noDischargeControl);
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "AlphaESS's OpenAPI cannot discharge the battery into the grid on command (it has discharge windows for the house only)");
        }
    }

    /// <summary>The mode the configurations put the battery in at <paramref name="localNow"/>.</summary>
    public static BatteryMode ModeOf(AlphaEssChargeConfig charge, AlphaEssDischargeConfig discharge, DateTime localNow)
    {
        var now = localNow.TimeOfDay;
        if (charge.GridCharge && (Inside(charge.From1, charge.To1, now) || Inside(charge.From2, charge.To2, now)))
        {
            return BatteryMode.ChargeFromGrid;
        }
        return discharge.CtrDis && !Inside(discharge.From1, discharge.To1, now) && !Inside(discharge.From2, discharge.To2, now) ? BatteryMode.Hold : BatteryMode.Auto;
    }

    /// <summary>How long the grid-charge window in force at <paramref name="localNow"/> still lasts; zero when none is.</summary>
    public static TimeSpan ChargeLeft(AlphaEssChargeConfig charge, DateTime localNow)
    {
        var now = localNow.TimeOfDay;
        if (!charge.GridCharge)
        {
            return TimeSpan.Zero;
        }
        if (Inside(charge.From2, charge.To2, now))
        {
            return Time(charge.To2) - now;
        }
        if (!Inside(charge.From1, charge.To1, now))
        {
            return TimeSpan.Zero;
        }
        // Window 1 runs to the last quarter and window 2 goes on from midnight: one window across midnight.
        var left = Time(charge.To1) - now;
        return charge.To1 == LastQuarter && charge.From2 == Off && charge.To2 != Off ? left + TimeSpan.FromMinutes(15) + Time(charge.To2) : left;
    }

    /// <summary>Reads <c>getChargeConfigInfo</c>'s data.</summary>
    public static AlphaEssChargeConfig ParseCharge(JsonElement data) => new(Int(data, "gridCharge") == 1, Text(data, "timeChaf1"), Text(data, "timeChae1"),
        Text(data, "timeChaf2"), Text(data, "timeChae2"), Int(data, "batHighCap"));

    /// <summary>Reads <c>getDisChargeConfigInfo</c>'s data.</summary>
    public static AlphaEssDischargeConfig ParseDischarge(JsonElement data) => new(Int(data, "ctrDis") == 1, Text(data, "timeDisf1"), Text(data, "timeDise1"),
        Text(data, "timeDisf2"), Text(data, "timeDise2"), Int(data, "batUseCap"));

    /// <summary>The body of <c>updateChargeConfigInfo</c>.</summary>
    public static string Body(string sysSn, AlphaEssChargeConfig c) => JsonSerializer.Serialize(new
    {
        sysSn, gridCharge = c.GridCharge ? 1 : 0, timeChaf1 = c.From1, timeChae1 = c.To1, timeChaf2 = c.From2, timeChae2 = c.To2, batHighCap = c.BatHighCapPct,
    });

    /// <summary>The body of <c>updateDisChargeConfigInfo</c>.</summary>
    public static string Body(string sysSn, AlphaEssDischargeConfig c) => JsonSerializer.Serialize(new
    {
        sysSn, ctrDis = c.CtrDis ? 1 : 0, timeDisf1 = c.From1, timeDise1 = c.To1, timeDisf2 = c.From2, timeDise2 = c.To2, batUseCap = c.BatUseCapPct,
    });

    private static bool Inside(string from, string to, TimeSpan now) => from != to && Time(from) <= now && now < Time(to);

    private static TimeSpan Time(string hhmm) => TimeSpan.ParseExact(hhmm, "hh\\:mm", CultureInfo.InvariantCulture);

    private static string Hhmm(DateTime t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static int Int(JsonElement data, string name) => data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32()
        : throw new FormatException($"AlphaESS's configuration has no number '{name}'");

    private static string Text(JsonElement data, string name) => data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
        : throw new FormatException($"AlphaESS's configuration has no time '{name}'");
}
