using System.Net;
using EnergyHub.Plugins.Simulator.Site;
using EnergyHub.Protocols.Modbus;

namespace EnergyHub.Plugins.Simulator.Emulators;

/// <summary>The register family a <see cref="GoodWeEmulator"/> speaks.</summary>
public enum GoodWeEmulatorFamily
{
    /// <summary>A DT PV inverter (GW5000-DNS-30-like): runtime 30100, meter 30195.</summary>
    Dt,
    /// <summary>An ET hybrid with the site's battery: runtime 35100, battery 37000, EMS modes 47511–47512; 30100 is refused.</summary>
    Et,
}

/// <summary>
/// A GoodWe Modbus TCP server on 127.0.0.1 backed by a <see cref="SimulatedSite"/>. As a DT (GW5000-DNS-30-like) its
/// runtime block (30100) and meter block (30195) show the site; as an ET its runtime (35100) and battery (37000) blocks
/// do, and the EMS mode and power (47511–47512) put the site's battery into a mode (Auto, battery standby, charge or
/// discharge at the set power; like the device, charging has no target and runs until the mode changes). Writes to
/// the active power limit (256, %), the export switch (291), the export limits (292 %, 293 % × 10, 40327 enable,
/// 40328–29 W, ET 47509–47510 W) reach the site's inverter, which follows after its response delay. Values out of
/// range are refused with exception 03, as a device would.
/// </summary>
public sealed class GoodWeEmulator : IAsyncDisposable
{
    private readonly SimulatedSite _site;
    private readonly TimeProvider _time;
    private readonly GoodWeEmulatorFamily _family;
    private readonly ModbusRegisterMap _map = new(holdingCount: 50_000, inputCount: 1);
    private readonly ModbusTcpServer _server;

    /// <summary>Starts serving on 127.0.0.1:<paramref name="port"/> (0 = a free port).</summary>
    public GoodWeEmulator(SimulatedSite site, TimeProvider time, int port, GoodWeEmulatorFamily family = GoodWeEmulatorFamily.Dt)
    {
        (_site, _time, _family) = (site, time, family);
        _map.SetHolding(256, 100);
        _map.SetHolding(EmsMode, EmsAuto);
        _map.Reading = (_, address, count) => Refresh(address, count);
        _map.Writing = Write;
        _server = new ModbusTcpServer(_map, new IPEndPoint(IPAddress.Loopback, port)).Start();
    }

    private const ushort EmsMode = 47511;
    private const ushort EmsAuto = 1;

    /// <summary>The port it listens on.</summary>
    public int Port => _server.Endpoint.Port;

    /// <summary>Requests answered.</summary>
    public int Requests => _server.Requests;

    private void Refresh(ushort address, int count)
    {
        if (_family == GoodWeEmulatorFamily.Et)
        {
            RefreshEt(address, count);
            return;
        }
        if (address + count <= 30100 || address > 30209)
        {
            return;
        }
        var s = _site.Observe(_time.GetUtcNow());
        var local = _site.Local(s.Time);
        var perString = s.PvW / 2;
        ushort Amps(double watts) => (ushort)Math.Round(watts / 400 * 10);
        var runtime = new ushort[73];
        runtime[0] = (ushort)(((local.Year - 2000) << 8) | local.Month);
        runtime[1] = (ushort)((local.Day << 8) | local.Hour);
        runtime[2] = (ushort)((local.Minute << 8) | local.Second);
        (runtime[3], runtime[4], runtime[5], runtime[6]) = (4000, Amps(perString), 4000, Amps(perString));
        for (var i = 7; i <= 17; i++)
        {
            runtime[i] = 0xFFFF;
        }
        (runtime[18], runtime[21], runtime[24]) = (2300, (ushort)Math.Round(s.PvW / 230 * 10), 5000);
        Registers.FromU32((uint)Math.Round(s.PvW)).CopyTo(runtime, 27);
        runtime[29] = (ushort)(s.PvW > 0 ? 1 : 0);
        runtime[41] = 350;
        var totalTenthsKwh = (uint)(_site.Counters.PvWh / 100);
        runtime[44] = (ushort)Math.Min(totalTenthsKwh, 65535);
        Registers.FromU32(totalTenthsKwh).CopyTo(runtime, 45);
        _map.SetHolding(30100, runtime);

        var meter = new ushort[15];
        Registers.FromS32((int)Math.Round(-s.GridW)).CopyTo(meter, 0);   // GoodWe: + export
        Registers.FromU32((uint)(_site.Counters.ExportWh)).CopyTo(meter, 2);
        Registers.FromU32((uint)(_site.Counters.ImportWh)).CopyTo(meter, 4);
        meter[14] = 1;
        _map.SetHolding(30195, meter);
    }

    private void RefreshEt(ushort address, int count)
    {
        if (address + count > 30100 && address <= 30209)
        {
            throw new ModbusException(ModbusPdu.ReadHoldingRegisters, ModbusExceptionCode.IllegalDataAddress);
        }
        if (address + count <= 35100 || address > 37023 || address > 35224 && address + count <= 37000)
        {
            return;
        }
        var s = _site.Observe(_time.GetUtcNow());
        var runtime = new ushort[125];
        (runtime[3], runtime[4]) = (4000, (ushort)Math.Round(s.PvW / 400 * 10));
        Registers.FromU32((uint)Math.Round(s.PvW)).CopyTo(runtime, 5);
        runtime[38] = (ushort)(short)Math.Round(s.PvW - s.BatteryW);     // inverter AC: PV plus battery discharge
        runtime[40] = (ushort)(short)Math.Round(-s.GridW);                // GoodWe: + export
        runtime[74] = 350;
        runtime[80] = 5120;
        runtime[81] = (ushort)(short)Math.Round(-s.BatteryW / 51.2 * 10); // GoodWe: + discharge
        Registers.FromS32((int)Math.Round(-s.BatteryW)).CopyTo(runtime, 82);
        runtime[84] = (ushort)(Math.Abs(s.BatteryW) < 1 ? 1 : s.BatteryW > 0 ? 3 : 2);
        runtime[87] = 1;
        Registers.FromU32((uint)(_site.Counters.PvWh / 100)).CopyTo(runtime, 91);
        _map.SetHolding(35100, runtime);

        var battery = new ushort[24];
        (battery[3], battery[7], battery[8]) = (250, (ushort)Math.Round(s.BatterySocPct), 100);
        _map.SetHolding(37000, battery);
    }

    private void Write(ushort address, ushort[] values)
    {
        var now = _time.GetUtcNow();
        if (_family == GoodWeEmulatorFamily.Et && address <= EmsMode + 1 && address + values.Length > EmsMode)
        {
            WriteEms(now, address, values);
        }
        if (_family == GoodWeEmulatorFamily.Et && address <= 47510 && address + values.Length > 47510)
        {
            _site.SetExportLimit(now, values[47510 - address]);
        }
        for (var i = 0; i < values.Length; i++)
        {
            var register = address + i;
            var value = values[i];
            switch (register)
            {
                case 256 or 292 when value > 100:
                case 293 when value > 1000:
                case 291 or 40327 when value > 1:
                    throw new ModbusException(ModbusPdu.WriteSingleRegister, ModbusExceptionCode.IllegalDataValue);
                case 256:
                    _site.SetActivePowerLimit(now, value);
                    break;
                case 292:
                    _site.SetExportLimit(now, value * _site.Options.InverterRatedW / 100);
                    break;
            }
        }
        if (address <= 40328 && address + values.Length >= 40330)
        {
            var watts = ((uint)values[40328 - address] << 16) | values[40329 - address];
            _site.SetExportLimit(now, watts);
        }
    }

    private void WriteEms(DateTimeOffset now, ushort address, ushort[] values)
    {
        var stored = _map.GetHolding(EmsMode, 2);
        var mode = address == EmsMode ? values[0] : stored[0];
        var powerW = address + values.Length > EmsMode + 1 ? values[EmsMode + 1 - address] : stored[1];
        Devices.BatteryMode? battery = mode switch
        {
            1 => Devices.BatteryMode.Auto,
            8 => Devices.BatteryMode.Hold,
            11 => Devices.BatteryMode.ChargeFromGrid,
            12 => Devices.BatteryMode.Discharge,
            _ => null,
        };
        if (battery is null)
        {
            throw new ModbusException(ModbusPdu.WriteMultipleRegisters, ModbusExceptionCode.IllegalDataValue);
        }
        _site.SetBatteryMode(now, battery.Value, powerW, null);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
