using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;

namespace EnergyHub.Plugins.GoodWe;

/// <summary>GoodWe register families.</summary>
public enum GoodWeFamily
{
    /// <summary>Detect on the first read: DT when register 30100 answers, ET when the inverter refuses it (illegal data address).</summary>
    Auto,
    /// <summary>DT / MS / D-NS / XS PV inverters (GW5000-DNS-30): runtime block 30100.</summary>
    Dt,
    /// <summary>ET / EH / BT / BH hybrids: runtime block 35100, battery block 37000.</summary>
    Et,
}

/// <summary>How the driver limits power.</summary>
public enum GoodWeLimitMode
{
    /// <summary>Active power limit in % of rated output (register 256), export switch 291 on.</summary>
    ActivePct,
    /// <summary>Export limit in % (292) and % × 10 (293), export switch 291 on.</summary>
    ExportPct,
    /// <summary>Export limit in W at the family's register (ET 47510, single-phase DT 40328–29, three-phase DT 40336 in %).</summary>
    ExportW,
}

/// <summary>The keys of a <c>Driver = goodwe</c> device.</summary>
public sealed class GoodWeOptions : DeviceOptions
{
    /// <summary>The inverter's or gateway's address.</summary>
    [Required]
    public string Host { get; init; } = "";

    /// <summary>Modbus TCP port.</summary>
    [Range(1, 65535)]
    public int Port { get; init; } = 502;

    /// <summary>Modbus unit id; GoodWe's factory default is 247 (some DT units answer on 127).</summary>
    [Range(0, 255)]
    public int UnitId { get; init; } = 247;

    /// <summary>Register family, or Auto to detect it.</summary>
    public GoodWeFamily Model { get; init; } = GoodWeFamily.Auto;

    /// <summary>Three-phase DT model (its export limit is 40336 in %).</summary>
    public bool ThreePhase { get; init; }

    /// <summary>Rated AC output, W: 100 % of the limit.</summary>
    [Range(100.0, 1_000_000.0)]
    public double RatedPowerW { get; init; } = 5000;

    /// <summary>An ET hybrid's usable battery capacity, Wh, for services that plan with it; unset = unknown.</summary>
    [Range(100.0, 1_000_000.0)]
    public double? BatteryCapacityWh { get; init; }

    /// <summary>How limits are written.</summary>
    public GoodWeLimitMode LimitMode { get; init; } = GoodWeLimitMode.ActivePct;

    /// <summary>Active power limit register (% of rated), for firmware variants.</summary>
    [Range(0, 65535)]
    public int ActivePowerLimitRegister { get; init; } = 256;

    /// <summary>Export limit on/off register.</summary>
    [Range(0, 65535)]
    public int ExportSwitchRegister { get; init; } = 291;

    /// <summary>Export limit register in %.</summary>
    [Range(0, 65535)]
    public int ExportPctRegister { get; init; } = 292;

    /// <summary>Export limit register in % × 10.</summary>
    [Range(0, 65535)]
    public int ExportPctX10Register { get; init; } = 293;

    /// <summary>Export limit register in W; 0 = the family's own (see <see cref="GoodWeLimitMode.ExportW"/>).</summary>
    [Range(0, 65535)]
    public int ExportWRegister { get; init; }
}
