using EnergyHub.Protocols.Modbus;
using EnergyHub.Readings;

namespace EnergyHub.Plugins.GoodWe;

/// <summary>
/// GoodWe register maps (PDU addresses as on the wire) and their decoding into SDK readings. GoodWe signs are turned
/// into EnergyHub's here: the meter's + export becomes − export, the ET battery's + discharge becomes − discharge.
/// 0xFFFF / 0xFFFFFFFF mean "not available".
/// </summary>
public static class GoodWeRegisters
{
    /// <summary>DT runtime block.</summary>
    public const ushort DtRuntime = 30100;
    /// <summary>Registers in the DT runtime block.</summary>
    public const int DtRuntimeCount = 73;
    /// <summary>DT meter block (optional; exception 02 when the model has none).</summary>
    public const ushort DtMeter = 30195;
    /// <summary>Registers in the DT meter block.</summary>
    public const int DtMeterCount = 15;
    /// <summary>ET runtime block.</summary>
    public const ushort EtRuntime = 35100;
    /// <summary>Registers in the ET runtime block.</summary>
    public const int EtRuntimeCount = 125;
    /// <summary>ET battery block (SOC at 37007).</summary>
    public const ushort EtBattery = 37000;
    /// <summary>Registers read from the ET battery block.</summary>
    public const int EtBatteryCount = 24;
    /// <summary>DT export limit enable.</summary>
    public const ushort DtExportEnable = 40327;
    /// <summary>Single-phase DT export limit, U32 W (FC 16).</summary>
    public const ushort DtExportW = 40328;
    /// <summary>Three-phase DT export limit, % of rating.</summary>
    public const ushort DtExportPct = 40336;
    /// <summary>ET export limit enable.</summary>
    public const ushort EtExportEnable = 47509;
    /// <summary>ET export limit, W.</summary>
    public const ushort EtExportW = 47510;
    /// <summary>ET EMS power mode (47511) followed by its power set point in W (47512), written together.</summary>
    public const ushort EtEmsMode = 47511;

    /// <summary>EMS power modes the driver writes (GoodWe's table "EMS Power Mode").</summary>
    public static class EmsMode
    {
        /// <summary>Self-use: the battery follows the meter.</summary>
        public const ushort Auto = 1;
        /// <summary>The battery neither charges nor discharges.</summary>
        public const ushort BatteryStandby = 8;
        /// <summary>The battery charges at the set power, PV first, the grid makes up the rest.</summary>
        public const ushort ChargeBattery = 11;
        /// <summary>The battery discharges at the set power.</summary>
        public const ushort DischargeBattery = 12;
    }

    /// <summary>The EMS mode and power set point for a <see cref="Devices.BatteryMode"/> (the power only where the mode uses one).</summary>
    public static ushort[] EncodeEms(Devices.BatteryMode mode, double? powerW) => mode switch
    {
        Devices.BatteryMode.Auto => [EmsMode.Auto, 0],
        Devices.BatteryMode.Hold => [EmsMode.BatteryStandby, 0],
        Devices.BatteryMode.ChargeFromGrid => [EmsMode.ChargeBattery, EmsPower(powerW)],
        Devices.BatteryMode.Discharge => [EmsMode.DischargeBattery, EmsPower(powerW)],
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "not a battery mode"),
    };

    /// <summary>The <see cref="Devices.BatteryMode"/> an EMS mode register shows; null for the modes the driver never writes (set by the installer or another controller).</summary>
    public static Devices.BatteryMode? DecodeEms(ushort mode) => mode switch
    {
        EmsMode.Auto => Devices.BatteryMode.Auto,
        EmsMode.BatteryStandby => Devices.BatteryMode.Hold,
        EmsMode.ChargeBattery => Devices.BatteryMode.ChargeFromGrid,
        EmsMode.DischargeBattery => Devices.BatteryMode.Discharge,
        _ => null,
    };

    private static ushort EmsPower(double? powerW) => powerW is { } w && double.IsFinite(w) && w is >= 0 and <= 65535
        ? (ushort)Math.Round(w)
        : throw new ArgumentOutOfRangeException(nameof(powerW), powerW, "a battery power of 0–65535 W is needed for this mode; nothing was sent");

    /// <summary>Work modes of the DT family.</summary>
    public static string DtWorkMode(int code) => code switch { 0 => "Wait", 1 => "Normal", 2 => "Error", 4 => "Check", _ => $"mode {code}" };

    /// <summary>Decodes the DT runtime block (registers from 30100).</summary>
    public static (InverterReading Inverter, int WorkMode, double[] StringPowerW) DecodeDt(ReadOnlySpan<ushort> r)
    {
        var strings = new double[4];
        for (var i = 0; i < 4; i++)
        {
            var (volts, amps) = (r[3 + 2 * i], r[4 + 2 * i]);
            strings[i] = volts == 0xFFFF || amps == 0xFFFF ? 0 : Math.Round(volts / 10.0 * (amps / 10.0));
        }
        var ac = Registers.U32(r, 27);
        var today = r[44];
        var total = Registers.U32(r, 45);
        var temperature = Registers.S16(r, 41);
        return (new InverterReading(strings.Sum(), ac == 0xFFFFFFFF ? 0 : ac)
        {
            DailyEnergyWh = today == 0xFFFF ? null : today * 100.0,
            TotalEnergyWh = total == 0xFFFFFFFF ? null : total * 100.0,
            TemperatureC = temperature is -1 or 32767 ? null : temperature / 10.0,
        }, r[29], strings);
    }

    /// <summary>Decodes the DT meter block (registers from 30195); GoodWe's + export becomes EnergyHub's − export.</summary>
    public static MeterReading DecodeDtMeter(ReadOnlySpan<ushort> r) => new(-Registers.S32(r, 0))
    {
        ExportEnergyWh = Registers.U32(r, 2),
        ImportEnergyWh = Registers.U32(r, 4),
    };

    /// <summary>Decodes the ET runtime block (from 35100) and the SOC from the battery block (from 37000).</summary>
    public static (InverterReading Inverter, MeterReading Grid, BatteryReading? Battery) DecodeEt(ReadOnlySpan<ushort> r, ReadOnlySpan<ushort> battery)
    {
        double pv = 0;
        for (var i = 0; i < 4; i++)
        {
            var watts = Registers.U32(r, 5 + 4 * i);
            pv += watts == 0xFFFFFFFF ? 0 : watts;
        }
        var inverter = new InverterReading(pv, Registers.S16(r, 38))
        {
            TemperatureC = Registers.S16(r, 74) / 10.0,
            TotalEnergyWh = Registers.U32(r, 91) * 100.0,
            DailyEnergyWh = Registers.U32(r, 93) * 100.0,
        };
        var grid = new MeterReading(-Registers.S16(r, 40));
        BatteryReading? bat = battery.Length > 7 && battery[7] <= 100
            ? new BatteryReading(battery[7], -Registers.S32(r, 82)) { VoltageV = r[80] / 10.0, CurrentA = -Registers.S16(r, 81) / 10.0 }
            : null;
        return (inverter, grid, bat);
    }

    /// <summary>Percent of <paramref name="ratedW"/>, rounded, clamped to 0..100.</summary>
    public static int Percent(double watts, double ratedW) => (int)Math.Clamp(Math.Round(watts * 100 / ratedW), 0, 100);
}
