using EnergyHub.Devices;
using EnergyHub.TestSupport;
using System.Diagnostics;
using System.Net;
using EnergyHub.Protocols.Modbus;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.GoodWe.Tests;

public sealed class GoodWeTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");


    private static GoodWeInverter Driver(int port, GoodWeLimitMode mode = GoodWeLimitMode.ActivePct, int unit = 247) =>
        new(new GoodWeOptions { Driver = "goodwe", Host = "127.0.0.1", Port = port, UnitId = unit, Model = GoodWeFamily.Dt, LimitMode = mode, RatedPowerW = 5000 },
            new DeviceContext("roof", NullLogger.Instance, TimeProvider.System, Path.GetTempPath(), new NoServices()));

    private static GoodWeInverter AutoDriver(int port) =>
        new(new GoodWeOptions { Driver = "goodwe", Host = "127.0.0.1", Port = port, Model = GoodWeFamily.Auto, RatedPowerW = 5000, BatteryCapacityWh = 10_000 },
            new DeviceContext("roof", NullLogger.Instance, TimeProvider.System, Path.GetTempPath(), new NoServices()));

    [Test]
    public async Task On_Model_Auto_a_DT_is_confirmed_by_its_first_read_as_an_inverter_and_grid_meter_and_no_battery()
    {
        var map = new ModbusRegisterMap(50_000, 1);
        map.SetHolding(30100, RecordedRuntime());
        await using var server = new ModbusTcpServer(map, new IPEndPoint(IPAddress.Loopback, 0)).Start();
        await using var driver = AutoDriver(server.Endpoint.Port);

        var before = EnergyHub.Site.DeviceFacts.Of(driver, confirmed: false);
        await driver.ReadAsync(CancellationToken.None);
        var after = EnergyHub.Site.DeviceFacts.Of(driver, confirmed: true);

        Assert.That(before.RoleNames, Does.Contain("IBattery").And.Contain("IMeter").And.Contain("IInverter"), "before the first read it may be an ET");
        Assert.That(before.Battery!.CapacityWh, Is.EqualTo(10_000));
        Assert.That(after.RoleNames, Does.Not.Contain("IBattery").And.Contain("IMeter").And.Contain("IInverter").And.Contain("IActivePowerLimiter"));
        Assert.That((after.Battery, after.MeterRole, after.RatedPowerW), Is.EqualTo(((EnergyHub.Site.BatteryFacts?)null, (MeterRole?)MeterRole.Grid, (double?)5000)));
    }

    [Test]
    public async Task On_Model_Auto_an_ET_stays_a_battery_and_a_DT_without_a_meter_block_is_no_meter()
    {
        var et = new ModbusRegisterMap(50_000, 1)
        {
            Reading = (_, address, _) =>
            {
                if (address == GoodWeRegisters.DtRuntime)
                {
                    throw new ModbusException(ModbusPdu.ReadHoldingRegisters, ModbusExceptionCode.IllegalDataAddress);
                }
            },
        };
        await using (var server = new ModbusTcpServer(et, new IPEndPoint(IPAddress.Loopback, 0)).Start())
        await using (var driver = AutoDriver(server.Endpoint.Port))
        {
            await driver.ReadAsync(CancellationToken.None);
            Assert.That(EnergyHub.Site.DeviceFacts.Of(driver, true).Has<IBattery>(), Is.True);
        }

        var meterless = new ModbusRegisterMap(50_000, 1)
        {
            Reading = (_, address, _) =>
            {
                if (address == GoodWeRegisters.DtMeter)
                {
                    throw new ModbusException(ModbusPdu.ReadHoldingRegisters, ModbusExceptionCode.IllegalDataAddress);
                }
            },
        };
        meterless.SetHolding(30100, RecordedRuntime());
        await using (var server = new ModbusTcpServer(meterless, new IPEndPoint(IPAddress.Loopback, 0)).Start())
        await using (var driver = AutoDriver(server.Endpoint.Port))
        {
            await driver.ReadAsync(CancellationToken.None);
            var facts = EnergyHub.Site.DeviceFacts.Of(driver, true);
            Assert.That((facts.Has<IMeter>(), facts.Has<IBattery>(), facts.Has<IInverter>()), Is.EqualTo((false, false, true)));
        }
    }

    [Test]
    public async Task Inverters_behind_one_gateway_share_its_connection_until_the_last_one_closes()
    {
        var map = new ModbusRegisterMap(50_000, 1);
        map.SetHolding(30100, RecordedRuntime());
        await using var server = new ModbusTcpServer(map, new IPEndPoint(IPAddress.Loopback, 0)).Start();
        await using var shared = new SharedResources();
        DeviceContext Context(string id) => new(id, NullLogger.Instance, TimeProvider.System, Path.GetTempPath(), new NoServices()) { Shared = shared };
        GoodWeInverter Unit(string id, int unit) =>
            new(new GoodWeOptions { Driver = "goodwe", Host = "127.0.0.1", Port = server.Endpoint.Port, UnitId = unit, Model = GoodWeFamily.Dt }, Context(id));

        var east = Unit("east", 1);
        var west = Unit("west", 2);
        await Task.WhenAll(east.ReadAsync(CancellationToken.None).AsTask(), west.ReadAsync(CancellationToken.None).AsTask());
        await east.DisposeAsync();
        var stillThere = await west.ReadAsync(CancellationToken.None);
        await west.DisposeAsync();
        var reopened = Unit("east", 1);
        await reopened.ReadAsync(CancellationToken.None);
        await reopened.DisposeAsync();

        Assert.That(stillThere.Inverter!.AcPowerW, Is.EqualTo(5914));
        Assert.That(server.Accepted, Is.EqualTo(2), "one connection for both units, a new one after the last closed it");
    }

    private static ushort[] RecordedRuntime()
    {
        var bytes = Convert.FromHexString(File.ReadAllText(Path.Combine(Fixtures, "dt_GW10K-MS-30_tcp_running_data.hex")).Trim().Replace(" ", "", StringComparison.Ordinal));
        return Enumerable.Range(0, 73).Select(i => (ushort)((bytes[9 + 2 * i] << 8) | bytes[10 + 2 * i])).ToArray();
    }

    [Test]
    public async Task The_recorded_gw10k_dump_decodes_to_the_documented_values()
    {
        var map = new ModbusRegisterMap(50_000, 1);
        map.SetHolding(30100, RecordedRuntime());
        map.SetHolding(256, 100);
        await using var server = new ModbusTcpServer(map, new IPEndPoint(IPAddress.Loopback, 0)).Start();
        await using var driver = Driver(server.Endpoint.Port);

        var reading = await driver.ReadAsync(CancellationToken.None);

        var inverter = reading.Inverter!;
        Assert.Multiple(() =>
        {
            Assert.That(inverter.PvPowerW, Is.EqualTo(6143), "2764 + 1310 + 2069 W from V × A per string");
            Assert.That(inverter.AcPowerW, Is.EqualTo(5914));
            Assert.That(inverter.TemperatureC, Is.EqualTo(36.0));
            Assert.That(inverter.DailyEnergyWh, Is.EqualTo(4300));
            Assert.That(inverter.TotalEnergyWh, Is.EqualTo(998_200));
            Assert.That(inverter.ActivePowerLimitPct, Is.EqualTo(100));
        });
    }

    [Test]
    public void The_et_block_turns_goodwe_signs_into_sdk_signs()
    {
        var runtime = new ushort[125];
        Registers.FromU32(3000).CopyTo(runtime, 5);                       // PV1 3000 W
        Registers.FromU32(1200).CopyTo(runtime, 9);                       // PV2 1200 W
        runtime[38] = 4000;                                               // inverter output
        runtime[40] = 4277;                                               // 35140: + export (GoodWe)
        (runtime[80], runtime[81]) = (512, unchecked((ushort)(short)-49)); // 51.2 V, -4.9 A (charging)
        Registers.FromS32(-2512).CopyTo(runtime, 82);                     // 35182: - charge (GoodWe)
        var battery = new ushort[24];
        battery[7] = 76;                                                  // 37007 SOC

        var (inverter, grid, bat) = GoodWeRegisters.DecodeEt(runtime, battery);

        Assert.That(inverter.PvPowerW, Is.EqualTo(4200));
        Assert.That(grid.PowerW, Is.EqualTo(-4277), "exporting is negative");
        Assert.That(bat!.PowerW, Is.EqualTo(2512), "charging is positive");
        Assert.That(bat.SocPct, Is.EqualTo(76));
        Assert.That(bat.CurrentA, Is.EqualTo(4.9).Within(1e-9));
    }

    [Test]
    public void Request_frames_match_the_documented_bytes()
    {
        Assert.That(Convert.ToHexString(ModbusTcpTransport.Frame(1, 247, ModbusPdu.Read(3, GoodWeRegisters.DtRuntime, 73))), Is.EqualTo("000100000006F70375940049"));
        Assert.That(Convert.ToHexString(ModbusTcpTransport.Frame(2, 247, ModbusPdu.WriteSingle(256, 100))), Is.EqualTo("000200000006F70601000064"));
        Assert.That(Convert.ToHexString(ModbusTcpTransport.Frame(4, 247, ModbusPdu.WriteSingle(293, 500))), Is.EqualTo("000400000006F706012501F4"));
        Assert.That(Convert.ToHexString(ModbusRtuTransport.Frame(0x7F, ModbusPdu.WriteMultiple(40328, Registers.FromU32(5000)))), Is.EqualTo("7F109D88000204000013889D80"));
    }

    [Test]
    public async Task A_reply_with_a_wrong_mbap_length_is_still_read_from_its_byte_count()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var reply = Convert.FromHexString(File.ReadAllText(Path.Combine(Fixtures, "dt_GW10K-MS-30_tcp_running_data.hex")).Trim().Replace(" ", "", StringComparison.Ordinal));
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var request = new byte[12];
            await stream.ReadExactlyAsync(request);
            (reply[0], reply[1], reply[4], reply[5]) = (request[0], request[1], 0x00, 0x06); // a firmware that always says 6
            await stream.WriteAsync(reply);
            await Task.Delay(200);
        });
        await using var transport = new ModbusTcpTransport("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
        var registers = await new ModbusClient(transport).ReadHoldingRegistersAsync(0x7F, 30100, 73, CancellationToken.None);
        await serve;
        listener.Stop();

        Assert.That(registers, Is.EqualTo(RecordedRuntime()));
    }

    [Test]
    public async Task Limits_are_written_then_read_back_and_an_out_of_range_one_is_never_sent()
    {
        var map = new ModbusRegisterMap(50_000, 1);
        var writes = new List<(ushort, ushort[])>();
        map.Written = (address, values) => writes.Add((address, values));
        await using var server = new ModbusTcpServer(map, new IPEndPoint(IPAddress.Loopback, 0)).Start();
        await using (var active = Driver(server.Endpoint.Port))
        {
            await active.SetActivePowerLimitAsync(35, CancellationToken.None);
            Assert.That(active.Has(typeof(IExportLimiter)), Is.False, "an AC output limit is not an export cap: an export guard must use its own loop");
            var before = server.Requests;
            Assert.That(async () => await active.SetActivePowerLimitAsync(101, CancellationToken.None), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(server.Requests, Is.EqualTo(before), "nothing was sent");
        }
        await using (var export = Driver(server.Endpoint.Port, GoodWeLimitMode.ExportPct))
        {
            await export.SetExportLimitAsync(1750, CancellationToken.None); // 35 % of 5000 W
            Assert.That(export.Has(typeof(IActivePowerLimiter)), Is.False, "an export cap is not an AC output limit");
            Assert.That(export.Has(typeof(IExportLimiter)), Is.True);
            Assert.That(async () => await export.SetActivePowerLimitAsync(35, CancellationToken.None), Throws.InstanceOf<InvalidOperationException>());
        }
        await using (var watts = Driver(server.Endpoint.Port, GoodWeLimitMode.ExportW))
        {
            await watts.SetExportLimitAsync(1730, CancellationToken.None);
        }

        Assert.That(writes.Select(w => (w.Item1, string.Join(",", w.Item2))), Is.EqualTo(new[]
        {
            ((ushort)291, "1"), ((ushort)256, "35"),
            ((ushort)291, "1"), ((ushort)292, "35"), ((ushort)293, "350"),
            ((ushort)40327, "1"), ((ushort)40328, "0,1730"),
        }));
    }

    [Test]
    public async Task A_limit_the_inverter_does_not_keep_is_a_failed_command()
    {
        var map = new ModbusRegisterMap(50_000, 1);
        map.Written = (address, _) =>
        {
            if (address == 256)
            {
                map.SetHolding(256, 100); // firmware that ignores the write
            }
        };
        await using var server = new ModbusTcpServer(map, new IPEndPoint(IPAddress.Loopback, 0)).Start();
        await using var driver = Driver(server.Endpoint.Port);
        Assert.That(async () => await driver.SetActivePowerLimitAsync(20, CancellationToken.None),
            Throws.InstanceOf<IOException>().With.Message.Contains("wrote 20 to register 256 but read back 100"));
    }

    [Test]
    public async Task The_limit_write_works_against_pymodbus()
    {
        var (server, port) = await Pymodbus(400);
        using var _ = server;
        try
        {
            await using var driver = Driver(port, unit: 1);
            await driver.SetActivePowerLimitAsync(42, CancellationToken.None);
            await using var check = new ModbusTcpTransport("127.0.0.1", port);
            Assert.That(await new ModbusClient(check).ReadHoldingRegistersAsync(1, 256, 1, CancellationToken.None), Is.EqualTo(new ushort[] { 42 }));
            Assert.That(await new ModbusClient(check).ReadHoldingRegistersAsync(1, 291, 1, CancellationToken.None), Is.EqualTo(new ushort[] { 1 }));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    private static GoodWeInverter EtDriver(int port) =>
        new(new GoodWeOptions { Driver = "goodwe", Host = "127.0.0.1", Port = port, Model = GoodWeFamily.Et, LimitMode = GoodWeLimitMode.ExportW, RatedPowerW = 5000 },
            new DeviceContext("hybrid", NullLogger.Instance, TimeProvider.System, Path.GetTempPath(), new NoServices()));

    private static ModbusRegisterMap EtMap(ushort emsMode = 1)
    {
        var map = new ModbusRegisterMap(50_000, 1);
        map.SetHolding(37007, 40);
        map.SetHolding(GoodWeRegisters.EtEmsMode, emsMode, 0);
        return map;
    }

    [TestCase(BatteryMode.ChargeFromGrid, 3000.0, (ushort)11, (ushort)3000)]
    [TestCase(BatteryMode.Discharge, 2500.4, (ushort)12, (ushort)2500)]
    [TestCase(BatteryMode.Hold, null, (ushort)8, (ushort)0)]
    [TestCase(BatteryMode.Auto, null, (ushort)1, (ushort)0)]
    public async Task An_ET_battery_mode_is_the_EMS_mode_and_power_in_one_write_and_reads_back_as_that_mode(BatteryMode mode, double? powerW, ushort ems, ushort power)
    {
        var map = EtMap();
        var writes = new List<(ushort Address, int Count)>();
        map.Written = (address, values) => writes.Add((address, values.Length));
        await using var server = new ModbusTcpServer(map, new IPEndPoint(IPAddress.Loopback, 0)).Start();
        await using var driver = EtDriver(server.Endpoint.Port);

        await driver.SetBatteryModeAsync(mode, powerW, 80, CancellationToken.None);
        var reading = await driver.ReadAsync(CancellationToken.None);

        Assert.That(map.GetHolding(GoodWeRegisters.EtEmsMode, 2), Is.EqualTo(new[] { ems, power }));
        Assert.That(writes, Is.EqualTo(new[] { (GoodWeRegisters.EtEmsMode, 2) }), "mode and power together, so the inverter never runs a new mode at the old power");
        Assert.That(reading.Battery!.Mode, Is.EqualTo(mode));
    }

    [Test]
    public async Task A_charge_without_a_power_or_with_one_out_of_range_is_never_sent()
    {
        var map = EtMap();
        await using var server = new ModbusTcpServer(map, new IPEndPoint(IPAddress.Loopback, 0)).Start();
        await using var driver = EtDriver(server.Endpoint.Port);

        Assert.That(async () => await driver.SetBatteryModeAsync(BatteryMode.ChargeFromGrid, null, 80, CancellationToken.None), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(async () => await driver.SetBatteryModeAsync(BatteryMode.Discharge, 70_000, null, CancellationToken.None), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(map.GetHolding(GoodWeRegisters.EtEmsMode, 2), Is.EqualTo(new ushort[] { 1, 0 }));
    }

    [Test]
    public async Task An_EMS_mode_the_inverter_does_not_keep_is_a_failed_command()
    {
        var map = EtMap();
        map.Written = (address, _) => map.SetHolding(GoodWeRegisters.EtEmsMode, 1, 0);
        await using var server = new ModbusTcpServer(map, new IPEndPoint(IPAddress.Loopback, 0)).Start();
        await using var driver = EtDriver(server.Endpoint.Port);

        Assert.That(async () => await driver.SetBatteryModeAsync(BatteryMode.ChargeFromGrid, 3000, 80, CancellationToken.None),
            Throws.InstanceOf<IOException>().With.Message.Contains("read back 1,0"));
    }

    [Test]
    public async Task An_ET_firmware_without_EMS_registers_takes_no_battery_modes_and_a_DT_none_at_all()
    {
        var map = EtMap();
        map.Reading = (_, address, count) =>
        {
            if (address <= GoodWeRegisters.EtEmsMode && address + count > GoodWeRegisters.EtEmsMode)
            {
                throw new ModbusException(ModbusPdu.ReadHoldingRegisters, ModbusExceptionCode.IllegalDataAddress);
            }
        };
        await using var server = new ModbusTcpServer(map, new IPEndPoint(IPAddress.Loopback, 0)).Start();
        await using var et = EtDriver(server.Endpoint.Port);
        await using var dt = Driver(server.Endpoint.Port);

        Assert.That(EnergyHub.Site.DeviceFacts.Of(et, true).Has<IBatteryControl>(), Is.True, "an ET takes battery modes until its firmware refuses them");
        var reading = await et.ReadAsync(CancellationToken.None);

        Assert.That(reading.Battery!.Mode, Is.Null);
        Assert.That(EnergyHub.Site.DeviceFacts.Of(et, true).Has<IBatteryControl>(), Is.False);
        Assert.That(EnergyHub.Site.DeviceFacts.Of(dt, true).Has<IBatteryControl>(), Is.False);
        Assert.That(async () => await et.SetBatteryModeAsync(BatteryMode.Hold, null, null, CancellationToken.None), Throws.InvalidOperationException);
        Assert.That(async () => await dt.SetBatteryModeAsync(BatteryMode.Hold, null, null, CancellationToken.None), Throws.InvalidOperationException);
    }

    [TestCase((ushort)11, (ushort)1, TestName = "A grid charge left behind is ended by the safe state")]
    [TestCase((ushort)1, (ushort)1, TestName = "Self-use stays self-use")]
    [TestCase((ushort)4, (ushort)4, TestName = "An EMS mode EnergyHub never sets (the installer's) is left alone")]
    public async Task The_safe_state_returns_the_battery_to_self_use_only_from_modes_EnergyHub_sets(ushort before, ushort after)
    {
        var map = EtMap(before);
        await using var server = new ModbusTcpServer(map, new IPEndPoint(IPAddress.Loopback, 0)).Start();
        await using var driver = EtDriver(server.Endpoint.Port);

        await driver.EnterSafeStateAsync(CancellationToken.None);

        Assert.That(map.GetHolding(GoodWeRegisters.EtEmsMode, 1)[0], Is.EqualTo(after));
        Assert.That(map.GetHolding(GoodWeRegisters.EtExportW, 1)[0], Is.EqualTo(5000), "and the export cap lifted");
    }

    [Test]
    public async Task The_EMS_write_works_against_pymodbus()
    {
        var (server, port) = await Pymodbus(47600);
        using var _ = server;
        try
        {
            await using var driver = new GoodWeInverter(new GoodWeOptions { Driver = "goodwe", Host = "127.0.0.1", Port = port, UnitId = 1, Model = GoodWeFamily.Et, RatedPowerW = 5000 },
                new DeviceContext("hybrid", NullLogger.Instance, TimeProvider.System, Path.GetTempPath(), new NoServices()));
            await driver.SetBatteryModeAsync(BatteryMode.ChargeFromGrid, 3200, 90, CancellationToken.None);
            await using var check = new ModbusTcpTransport("127.0.0.1", port);
            Assert.That(await new ModbusClient(check).ReadHoldingRegistersAsync(1, GoodWeRegisters.EtEmsMode, 2, CancellationToken.None), Is.EqualTo(new ushort[] { 11, 3200 }));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    private static async Task<(Process Server, int Port)> Pymodbus(int registers)
    {
        var port = Peer.FreePort();
        var server = Process.Start(new ProcessStartInfo("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Peers", "modbus_server.py"),
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--size", registers.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        Assert.That(await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(15)), Is.EqualTo("READY"), "pymodbus (python3-pymodbus) must be installed");
        return (server, port);
    }

}
