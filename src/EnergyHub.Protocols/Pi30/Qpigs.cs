using System.Globalization;
using EnergyHub.Readings;

namespace EnergyHub.Protocols.Pi30;

/// <summary>The QPIGS (general status) reply, field by field, in its own units.</summary>
public sealed record Qpigs(
    double GridVoltageV, double GridFrequencyHz, double AcOutputVoltageV, double AcOutputFrequencyHz,
    double AcOutputApparentPowerVA, double AcOutputActivePowerW, double OutputLoadPct, double BusVoltageV,
    double BatteryVoltageV, double BatteryChargingCurrentA, double BatteryCapacityPct, double HeatSinkTemperatureC,
    double PvInputCurrentForBatteryA, double PvInputVoltageV, double BatteryVoltageFromSccV, double BatteryDischargeCurrentA,
    string DeviceStatus, double? PvChargingPowerW, string? DeviceStatus2)
{
    /// <summary>b4: the load is on.</summary>
    public bool LoadOn => DeviceStatus[3] == '1';
    /// <summary>b2: charging.</summary>
    public bool ChargingOn => DeviceStatus[5] == '1';
    /// <summary>b1: charging from PV.</summary>
    public bool SccChargingOn => DeviceStatus[6] == '1';
    /// <summary>b0: charging from the grid.</summary>
    public bool AcChargingOn => DeviceStatus[7] == '1';
    /// <summary>b10: charging to float.</summary>
    public bool ChargingToFloat => DeviceStatus2 is { Length: 3 } s && s[0] == '1';

    /// <summary>PV power: the reported PV charging power, or PV-side current × SCC battery voltage on older firmware.</summary>
    public double PvPowerW => PvChargingPowerW ?? Math.Round(PvInputCurrentForBatteryA * BatteryVoltageFromSccV);

    /// <summary>Battery power in SDK sign: + charging, − discharging.</summary>
    public double BatteryPowerW => Math.Round((BatteryChargingCurrentA - BatteryDischargeCurrentA) * BatteryVoltageV, 1);

    /// <summary>Parses the payload of a QPIGS reply (21 fields; the last two are missing on old firmware).</summary>
    /// <exception cref="FormatException">Fewer than 17 fields, or a field that is not a number.</exception>
    public static Qpigs Parse(string payload)
    {
        var f = payload.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 17)
        {
            throw new FormatException($"QPIGS reply has {f.Length} fields, expected 21 (or at least 17): '{payload}'");
        }
        double N(int i) => double.TryParse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new FormatException($"QPIGS field {i} '{f[i]}' is not a number");
        if (f[16].Length != 8 || f[16].Any(c => c is not ('0' or '1')))
        {
            throw new FormatException($"QPIGS status field '{f[16]}' is not 8 bits");
        }
        return new Qpigs(N(0), N(1), N(2), N(3), N(4), N(5), N(6), N(7), N(8), N(9), N(10), N(11), N(12), N(13), N(14), N(15),
            f[16], f.Length > 19 ? N(19) : null, f.Length > 20 ? f[20] : null);
    }

    /// <summary>The SDK reading: PV as an inverter part, the battery (+ charging), and the AC load.</summary>
    public DeviceReading ToReading(DateTimeOffset timestamp) => new()
    {
        Timestamp = timestamp,
        Inverter = new InverterReading(PvPowerW, AcOutputActivePowerW) { TemperatureC = HeatSinkTemperatureC },
        Battery = new BatteryReading(BatteryCapacityPct, BatteryPowerW) { VoltageV = BatteryVoltageV, CurrentA = BatteryChargingCurrentA - BatteryDischargeCurrentA },
        Load = new MeterReading(AcOutputActivePowerW) { FrequencyHz = AcOutputFrequencyHz, Phases = [new PhaseReading(AcOutputVoltageV, null, AcOutputActivePowerW)] },
    };
}
