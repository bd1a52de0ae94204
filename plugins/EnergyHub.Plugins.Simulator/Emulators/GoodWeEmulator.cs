using System.Net;
using EnergyHub.Plugins.Simulator.Site;
using EnergyHub.Protocols.Modbus;

namespace EnergyHub.Plugins.Simulator.Emulators;

/// <summary>
/// A GoodWe DT-family (GW5000-DNS-30-like) Modbus TCP server on 127.0.0.1 backed by a <see cref="SimulatedSite"/>:
/// the runtime block (30100) and meter block (30195) show the site; writes to the active power limit (256, %), the
/// export switch (291), the export limits (292 %, 293 % × 10, 40327 enable, 40328–29 W) reach the site's inverter,
/// which follows after its response delay. Values outside 0–100 % are refused with exception 03, as a device would.
/// </summary>
public sealed class GoodWeEmulator : IAsyncDisposable
{
    private readonly SimulatedSite _site;
    private readonly TimeProvider _time;
    private readonly ModbusRegisterMap _map = new(holdingCount: 50_000, inputCount: 1);
    private readonly ModbusTcpServer _server;

    /// <summary>Starts serving on 127.0.0.1:<paramref name="port"/> (0 = a free port).</summary>
    public GoodWeEmulator(SimulatedSite site, TimeProvider time, int port)
    {
        (_site, _time) = (site, time);
        _map.SetHolding(256, 100);
        _map.Reading = (_, address, count) => Refresh(address, count);
        _map.Writing = Write;
        _server = new ModbusTcpServer(_map, new IPEndPoint(IPAddress.Loopback, port)).Start();
    }

    /// <summary>The port it listens on.</summary>
    public int Port => _server.Endpoint.Port;

    /// <summary>Requests answered.</summary>
    public int Requests => _server.Requests;

    private void Refresh(ushort address, int count)
    {
        if (address + count <= 30100 || address > 30209)
        {
            return;
        }
        var s = _site.Observe(_time.GetUtcNow());
        var local = s.Time.ToOffset(TimeSpan.FromHours(_site.Options.UtcOffsetHours));
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

    private void Write(ushort address, ushort[] values)
    {
        var now = _time.GetUtcNow();
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

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
