using System.Globalization;

namespace EnergyHub.Protocols.Pi30;

/// <summary>Decoders of the PI30 query replies other than QPIGS.</summary>
public static class Pi30Replies
{
    private static readonly string[] Warnings =
    [
        "reserved", "inverter fault", "bus over", "bus under", "bus soft fail", "line fail", "OPV short", "inverter voltage too low",
        "inverter voltage too high", "over temperature", "fan locked", "battery voltage high", "battery low alarm", "reserved (overcharge)",
        "battery under shutdown", "reserved (battery derating)", "over load", "EEPROM fault", "inverter over current", "inverter soft fail",
        "self test fail", "OP DC voltage over", "battery open", "current sensor fail", "battery short", "power limit", "PV voltage high",
        "MPPT overload fault", "MPPT overload warning", "battery too low to charge", "PV2 voltage high", "PV2 MPPT overload fault",
        "PV2 MPPT overload warning", "PV2 battery too low to charge", "PV3 voltage high", "PV3 MPPT overload fault",
        "PV3 MPPT overload warning", "PV3 battery too low to charge",
    ];

    // Warnings that are faults when "inverter fault" (index 1) is set.
    private static readonly int[] FaultWithInverterFault = [9, 10, 11, 16];
    private static readonly int[] AlwaysFault = [1, 2, 3, 4, 7, 8, 18, 19, 20, 21, 22, 23, 24];

    /// <summary>QID: the inverter's serial number (digits, as sent).</summary>
    /// <exception cref="FormatException">An empty reply.</exception>
    public static string SerialNumber(string payload) =>
        payload.Trim() is { Length: > 0 } serial ? serial : throw new FormatException("QID reply is empty");

    /// <summary>QVFW: the main CPU firmware version, e.g. "00072.70" from "VERFW:00072.70".</summary>
    /// <exception cref="FormatException">The reply does not start with VERFW:.</exception>
    public static string FirmwareVersion(string payload) =>
        payload.Trim() is var text && text.StartsWith("VERFW:", StringComparison.Ordinal) && text.Length > 6
            ? text[6..]
            : throw new FormatException($"QVFW reply '{payload}' does not start with VERFW:");

    /// <summary>QMOD: the operating mode's name; unknown letters are "unknown (X)", not an error.</summary>
    public static string Mode(string payload) => payload.Trim() switch
    {
        "P" => "power on",
        "S" => "standby",
        "L" => "line",
        "B" => "battery",
        "F" => "fault",
        "H" => "power saving",
        "D" => "shutdown",
        "C" => "charge",
        "Y" => "bypass",
        "E" => "ECO",
        var other => $"unknown ({other})",
    };

    /// <summary>QPIWS: every warning bit that is set, named, and whether it is a fault.</summary>
    /// <exception cref="FormatException">Fewer than 32 bits, or a character that is not 0 or 1.</exception>
    public static IReadOnlyList<(string Name, bool Fault)> ActiveWarnings(string payload)
    {
        var bits = payload.Trim();
        if (bits.Length < 32 || bits.Any(c => c is not ('0' or '1')))
        {
            throw new FormatException($"QPIWS reply is not 32 or more bits: '{payload}'");
        }
        var inverterFault = bits[1] == '1';
        return bits.Select((c, i) => (c, i))
            .Where(x => x.c == '1' && x.i < Warnings.Length)
            .Select(x => (Warnings[x.i], AlwaysFault.Contains(x.i) || (inverterFault && FaultWithInverterFault.Contains(x.i))))
            .ToList();
    }

    /// <summary>QPIRI: the settings a charger driver needs.</summary>
    /// <param name="BatteryRatingV">12, 24 or 48.</param>
    /// <param name="RechargeV">Back to charging below this.</param>
    /// <param name="CutOffV">Under-voltage cut-off.</param>
    /// <param name="BulkV">C.V. (bulk/absorption) voltage (PCVV).</param>
    /// <param name="FloatV">Float voltage (PBFT).</param>
    /// <param name="BatteryType">0 AGM, 1 flooded, 2 user, others lithium on newer firmware.</param>
    /// <param name="MaxAcChargingCurrentA">Utility charging current limit (MUCHGC).</param>
    /// <param name="MaxChargingCurrentA">Total charging current limit (MCHGC).</param>
    /// <param name="OutputPriority">0 utility first, 1 solar first, 2 SBU (POP).</param>
    /// <param name="ChargerPriority">0 utility first, 1 solar first, 2 solar + utility, 3 only solar (PCP).</param>
    public sealed record Ratings(double BatteryRatingV, double RechargeV, double CutOffV, double BulkV, double FloatV, int BatteryType,
        double MaxAcChargingCurrentA, double MaxChargingCurrentA, int OutputPriority, int ChargerPriority);

    /// <summary>Parses a QPIRI reply (25 fields or more).</summary>
    /// <exception cref="FormatException">Fewer than 18 fields or a field that is not a number.</exception>
    public static Ratings ParseRatings(string payload)
    {
        var f = payload.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 18)
        {
            throw new FormatException($"QPIRI reply has {f.Length} fields, expected 25 or more: '{payload}'");
        }
        double N(int i) => double.TryParse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"QPIRI field {i} '{f[i]}' is not a number");
        return new Ratings(N(7), N(8), N(9), N(10), N(11), (int)N(12), N(13), N(14), (int)N(16), (int)N(17));
    }
}
