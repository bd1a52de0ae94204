using System.Globalization;

namespace EnergyHub.Protocols.Pi30;

/// <summary>
/// PI30 setter commands, each checked against what the inverter accepts before anything is sent
/// (an <see cref="ArgumentOutOfRangeException"/> says what is allowed).
/// </summary>
public static class Pi30Setters
{
    /// <summary>Float voltage: PBFTnn.n, within the range of the battery rating (48 V: 48.0–58.4 V).</summary>
    public static string FloatVoltage(double volts, double batteryRatingV) => "PBFT" + Voltage(volts, batteryRatingV, "float");

    /// <summary>C.V. (bulk/absorption) voltage: PCVVnn.n, within the range of the battery rating.</summary>
    public static string BulkVoltage(double volts, double batteryRatingV) => "PCVV" + Voltage(volts, batteryRatingV, "bulk");

    /// <summary>Total max charging current: MCHGCnnn (below 100 A) or MNCHGC0nnn, from the inverter's allowed list (QMCHGCR).</summary>
    public static string MaxChargingCurrent(int amps, IReadOnlyCollection<int> allowed) =>
        Allowed(amps, allowed, "charging current") < 100 ? $"MCHGC{amps:D3}" : $"MNCHGC0{amps:D3}";

    /// <summary>Max utility charging current: MUCHGCnnn, from the inverter's allowed list (QMUCHGCR).</summary>
    public static string MaxUtilityChargingCurrent(int amps, IReadOnlyCollection<int> allowed) => $"MUCHGC{Allowed(amps, allowed, "utility charging current"):D3}";

    /// <summary>Output source priority: POP00 utility first, POP01 solar first, POP02 SBU.</summary>
    public static string OutputPriority(int priority) => priority is >= 0 and <= 2
        ? $"POP{priority:D2}"
        : throw new ArgumentOutOfRangeException(nameof(priority), priority, "output priority: 0 utility first, 1 solar first, 2 SBU");

    /// <summary>Charger source priority: PCP00 utility first, 01 solar first, 02 solar + utility, 03 only solar.</summary>
    public static string ChargerPriority(int priority) => priority is >= 0 and <= 3
        ? $"PCP{priority:D2}"
        : throw new ArgumentOutOfRangeException(nameof(priority), priority, "charger priority: 0 utility first, 1 solar first, 2 solar + utility, 3 only solar");

    /// <summary>The allowed current steps from a QMCHGCR/QMUCHGCR reply ("010 020 030 …").</summary>
    /// <exception cref="FormatException">A step that is not a whole number of amps from 0 to 999.</exception>
    public static IReadOnlyList<int> ParseAllowedCurrents(string payload) =>
        payload.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var amps) && amps <= 999
                ? amps
                : throw new FormatException($"allowed current '{v}' is not a whole number of amps (reply '{payload}')"))
            .ToList();

    private static string Voltage(double volts, double batteryRatingV, string what)
    {
        var scale = batteryRatingV / 48.0;
        var (min, max) = (48.0 * scale, 58.4 * scale);
        if (!double.IsFinite(volts) || volts < min - 1e-9 || volts > max + 1e-9)
        {
            throw new ArgumentOutOfRangeException(nameof(volts), volts, $"{what} voltage must be {min:0.0}–{max:0.0} V for a {batteryRatingV:0} V battery; nothing was sent");
        }
        return volts.ToString("00.0", CultureInfo.InvariantCulture);
    }

    private static int Allowed(int amps, IReadOnlyCollection<int> allowed, string what) => allowed.Contains(amps)
        ? amps
        : throw new ArgumentOutOfRangeException(nameof(amps), amps, $"{what} must be one of {string.Join(", ", allowed)} A (the inverter's list); nothing was sent");
}
