using EnergyHub.Devices;
using EnergyHub.Plugins.Simulator.Emulators;
using EnergyHub.Readings;
using EnergyHub.TestSupport;
using EnergyHub.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.GoE.Tests;

/// <summary>The goe driver against the go-e emulator over real HTTP on 127.0.0.1, v2 and v1.</summary>
public sealed class GoEWallboxTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    private (GoEEmulator Emulator, GoEWallbox Wallbox) Start(bool v2, GoEApi api = GoEApi.Auto, bool relay = true, GoESafeState safe = GoESafeState.Off)
    {
        var emulator = new GoEEmulator(v2, _time, relay);
        emulator.Start(0);
        var wallbox = new GoEWallbox(new GoEOptions { Driver = "goe", Host = $"127.0.0.1:{emulator.Port}", Api = api, SafeState = safe },
            new DeviceContext("ev", NullLogger.Instance, _time, Path.GetTempPath(), new NoServices()));
        return (emulator, wallbox);
    }

    [Test]
    public async Task Auto_finds_v2_and_reads_a_charging_car_with_its_power_and_energy()
    {
        var (emulator, wallbox) = Start(v2: true);
        await using var _ = emulator;

        var first = await wallbox.ReadAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        var second = await wallbox.ReadAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((first.Charger!.Car, first.Charger.PowerW, first.Charger.CurrentA, first.Charger.Phases, first.Charger.SessionEnergyWh),
                Is.EqualTo((EvCarState.Charging, 16 * 3 * 230.0, 16.0, 3, (double?)0)));
            Assert.That((first.Charger.L1CurrentA, first.Charger.TemperatureC, first.Charger.Reason), Is.EqualTo(((double?)16, (double?)26, "ChargingBecauseFallbackDefault")));
            Assert.That(second.Charger!.SessionEnergyWh, Is.EqualTo(11040).Within(0.1), "an hour at 11.04 kW");
            Assert.That(wallbox.Status!.Api, Is.EqualTo(GoEApi.V2));
            Assert.That(wallbox.Has(typeof(IPhaseSwitcher)), Is.True);
            Assert.That(wallbox.Limits, Is.EqualTo(new EvChargerLimits(6, 16, 3)));
        });
    }

    [Test]
    public async Task Current_pause_and_phases_are_written_confirmed_and_only_when_they_change()
    {
        var (emulator, wallbox) = Start(v2: true);
        await using var _ = emulator;

        await wallbox.SetChargeCurrentAsync(10.9, CancellationToken.None); // whole amps, never more than asked
        var ten = (await wallbox.ReadAsync(CancellationToken.None)).Charger!;
        var writes = emulator.Writes;
        await wallbox.SetChargeCurrentAsync(10, CancellationToken.None);
        var unchanged = emulator.Writes;
        await wallbox.SetPhasesAsync(1, CancellationToken.None);
        var onePhase = (await wallbox.ReadAsync(CancellationToken.None)).Charger!;
        await wallbox.SetChargeCurrentAsync(0, CancellationToken.None);
        var paused = (await wallbox.ReadAsync(CancellationToken.None)).Charger!;

        Assert.Multiple(() =>
        {
            Assert.That((ten.CurrentA, ten.PowerW), Is.EqualTo((10.0, 10 * 3 * 230.0)));
            Assert.That(unchanged, Is.EqualTo(writes), "nothing sent when nothing changes");
            Assert.That((onePhase.Phases, onePhase.PowerW), Is.EqualTo((1, 10 * 230.0)));
            Assert.That((paused.Car, paused.CurrentA, paused.PowerW), Is.EqualTo((EvCarState.Connected, 0.0, 0.0)));
            Assert.That(wallbox.Status!.Force, Is.EqualTo(GoEForce.Off));
        });
    }

    [Test]
    public async Task Out_of_range_currents_are_refused_before_anything_is_sent()
    {
        var (emulator, wallbox) = Start(v2: true);
        await using var _ = emulator;
        await wallbox.ReadAsync(CancellationToken.None);

        Assert.That(() => wallbox.SetChargeCurrentAsync(20, CancellationToken.None), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("0 (pause) or 6…16 A"));
        Assert.That(() => wallbox.SetChargeCurrentAsync(4, CancellationToken.None), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(emulator.Writes, Is.Zero);
    }

    [Test]
    public async Task A_key_the_charger_refuses_is_an_error_that_names_it()
    {
        var (emulator, wallbox) = Start(v2: true, relay: false);
        await using var _ = emulator;
        await wallbox.ReadAsync(CancellationToken.None);
        var client = new GoEClient(new HttpClient(), emulator.BaseAddress, GoEApi.V2);

        Assert.That(wallbox.Has(typeof(IPhaseSwitcher)), Is.False, "no psm in the status: no phase switching");
        Assert.That(() => wallbox.SetPhasesAsync(1, CancellationToken.None), Throws.InstanceOf<InvalidOperationException>());
        Assert.That(() => client.SetAsync([("fsp", "true")], CancellationToken.None),
            Throws.InstanceOf<IOException>().With.Message.Contains("refused fsp (fsp: tried to set api key without setter (false))"));
    }

    [TestCase(GoESafeState.Off, false)]
    [TestCase(GoESafeState.ChargerLogic, true)]
    public async Task The_safe_state_is_charging_off_or_the_chargers_own_logic(GoESafeState safe, bool charging)
    {
        var (emulator, wallbox) = Start(v2: true, safe: safe);
        await using var _ = emulator;
        await wallbox.SetSwitchAsync(true, CancellationToken.None);

        await wallbox.EnterSafeStateAsync(CancellationToken.None);
        var after = await wallbox.ReadAsync(CancellationToken.None);

        Assert.That(after.Charger!.Car == EvCarState.Charging, Is.EqualTo(charging));
        Assert.That(wallbox.Status!.Force, Is.EqualTo(safe == GoESafeState.Off ? GoEForce.Off : GoEForce.Neutral));
    }

    [Test]
    public async Task V1_is_found_by_auto_and_driven_with_amx_and_alw_in_its_units()
    {
        var (emulator, wallbox) = Start(v2: false);
        await using var _ = emulator;

        await wallbox.SetChargeCurrentAsync(8, CancellationToken.None);
        var eight = (await wallbox.ReadAsync(CancellationToken.None)).Charger!;
        await wallbox.SetSwitchAsync(false, CancellationToken.None);
        var off = (await wallbox.ReadAsync(CancellationToken.None)).Charger!;

        Assert.Multiple(() =>
        {
            Assert.That(wallbox.Status!.Api, Is.EqualTo(GoEApi.V1));
            Assert.That((eight.Car, eight.CurrentA, eight.PowerW, eight.Phases), Is.EqualTo((EvCarState.Charging, 8.0, 8 * 3 * 230.0, 3)));
            Assert.That((off.Car, off.PowerW), Is.EqualTo((EvCarState.Connected, 0.0)));
            Assert.That(wallbox.Has(typeof(IPhaseSwitcher)), Is.False, "v1 cannot switch phases");
        });
    }

    [Test]
    public async Task A_charger_that_changes_api_after_a_firmware_change_is_found_again()
    {
        var (emulator, wallbox) = Start(v2: true);
        var port = emulator.Port;
        await wallbox.ReadAsync(CancellationToken.None);
        await emulator.DisposeAsync();
        await using var v1 = new GoEEmulator(v2: false, _time);
        v1.Start(port);

        Assert.That(async () => await wallbox.ReadAsync(CancellationToken.None), Throws.InstanceOf<IOException>().With.Message.Contains("answered 404"));
        var again = await wallbox.ReadAsync(CancellationToken.None);

        Assert.That((wallbox.Status!.Api, again.Charger!.Car), Is.EqualTo((GoEApi.V1, EvCarState.Charging)));
    }

    [Test]
    public async Task A_charger_that_does_not_answer_is_an_io_error_that_says_what_to_check()
    {
        var port = Peer.FreePort();
        var wallbox = new GoEWallbox(new GoEOptions { Driver = "goe", Host = $"http://127.0.0.1:{port}" },
            new DeviceContext("ev", NullLogger.Instance, _time, Path.GetTempPath(), new NoServices()));
        Assert.That(async () => await wallbox.ReadAsync(CancellationToken.None),
            Throws.InstanceOf<IOException>().With.Message.Contains("local HTTP API is on in the go-e app"));
    }

    [TestCase("192.168.1.30", "http://192.168.1.30/")]
    [TestCase("192.168.1.30:8080", "http://192.168.1.30:8080/")]
    [TestCase("http://192.168.1.30", "http://192.168.1.30/")]
    [TestCase("http://goe.local/api/status", "http://goe.local/")]
    public void Host_is_an_address_a_host_and_port_or_a_url(string host, string expected) =>
        Assert.That(GoEClient.BaseAddress(host).AbsoluteUri, Is.EqualTo(expected));

    [Test]
    public void A_host_that_is_no_address_says_what_to_give() =>
        Assert.That(() => GoEClient.BaseAddress("ftp://x"), Throws.InstanceOf<FormatException>().With.Message.Contains("192.168.1.30:8080"));
}
