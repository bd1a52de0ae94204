using EnergyHub.Devices;
using EnergyHub.Plugins.Simulator.Emulators;
using EnergyHub.TestSupport;
using EnergyHub.Time;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.Shelly.Tests;

/// <summary>The shelly driver against the Shelly emulator over real HTTP on 127.0.0.1: Gen1 3EM, Pro 3EM, Plus 1PM.</summary>
public sealed class ShellyDeviceTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    private string _dataDir = "";

    [SetUp]
    public void CreateDataDir() => _dataDir = Directory.CreateTempSubdirectory("energyhub-shelly-").FullName;

    [TearDown]
    public void RemoveDataDir() => Directory.Delete(_dataDir, recursive: true);

    private ShellyDevice Device(ShellyEmulator emulator, ShellyRole role = ShellyRole.Grid, bool invert = false, string password = "",
        ShellyMetering metering = ShellyMetering.Default, int? phase = null, TimeSpan? pollInterval = null, ILogger? logger = null) =>
        new(new ShellyOptions
            {
                Driver = "shelly", Host = $"127.0.0.1:{emulator.Port}", Role = role, Invert = invert, Password = password, Metering = metering, Phase = phase,
                PollInterval = pollInterval ?? TimeSpan.FromSeconds(5),
            },
            new DeviceContext("shelly", logger ?? NullLogger.Instance, _time, _dataDir, new NoServices()));

    private ShellyEmulator Emulator(ShellyModel model, string? password = null)
    {
        var emulator = new ShellyEmulator(model, _time, password);
        emulator.Start(0);
        return emulator;
    }

    [Test]
    public async Task A_gen1_3em_is_a_grid_meter_with_three_phases_and_counters_and_its_relay_switches()
    {
        await using var emulator = Emulator(ShellyModel.Gen1ThreeEm);
        emulator.PowerW = -1500;
        var device = Device(emulator);

        var meter = (await device.ReadAsync(CancellationToken.None)).Meter!;
        await device.SetSwitchAsync(false, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(meter.PowerW, Is.EqualTo(-1500), "exporting");
            Assert.That(meter.Phases.Select(p => p.PowerW), Is.EqualTo(new double?[] { -500, -500, -500 }));
            Assert.That((meter.ImportEnergyWh, meter.ExportEnergyWh), Is.EqualTo(((double?)5000.1, (double?)999.9)).Using<(double?, double?)>((a, b) =>
                Math.Abs(a.Item1!.Value - b.Item1!.Value) < 1 && Math.Abs(a.Item2!.Value - b.Item2!.Value) < 1 ? 0 : 1));
            Assert.That(emulator.On, Is.False);
            Assert.That(device.DisplayName, Does.Contain("SHEM-3 (Gen1)"));
        });
    }

    [Test]
    public async Task A_pro_3em_behind_a_password_is_read_through_a_sha256_digest_that_the_device_checks()
    {
        await using var emulator = Emulator(ShellyModel.Pro3Em, password: "s3cret");
        var device = Device(emulator, password: "s3cret");

        var meter = (await device.ReadAsync(CancellationToken.None)).Meter!;

        Assert.That(meter.PowerW, Is.EqualTo(1200));
        Assert.That(meter.Phases, Has.Count.EqualTo(3));
        Assert.That(emulator.Unauthorized, Is.GreaterThan(0), "the first request of each exchange met the challenge");
        Assert.That(device.Has(typeof(ISwitch)), Is.False, "a Pro 3EM has no relay");
        Assert.That(() => device.SetSwitchAsync(true, CancellationToken.None), Throws.InstanceOf<InvalidOperationException>());
    }

    [Test]
    public async Task A_wrong_password_says_to_set_the_password()
    {
        await using var emulator = Emulator(ShellyModel.Pro3Em, password: "s3cret");
        Assert.That(async () => await Device(emulator, password: "guess").ReadAsync(CancellationToken.None),
            Throws.InstanceOf<IOException>().With.Message.Contains("set Password"));
        await using var gen1 = Emulator(ShellyModel.Gen1ThreeEm, password: "s3cret");
        Assert.That(async () => await Device(gen1).ReadAsync(CancellationToken.None), Throws.InstanceOf<IOException>().With.Message.Contains("wants a password"));
        Assert.That((await Device(gen1, password: "s3cret").ReadAsync(CancellationToken.None)).Meter!.PowerW, Is.EqualTo(1200), "Basic on Gen1");
    }

    [Test]
    public async Task A_plus_1pm_switching_a_heater_is_a_load_whose_power_follows_its_relay()
    {
        await using var emulator = Emulator(ShellyModel.Plus1Pm);
        emulator.PowerW = 2000;
        var device = Device(emulator, ShellyRole.Consumer);

        var on = (await device.ReadAsync(CancellationToken.None)).Meter!;
        await device.SetSwitchAsync(false, CancellationToken.None);
        var off = (await device.ReadAsync(CancellationToken.None)).Meter!;

        Assert.That((on.PowerW, off.PowerW), Is.EqualTo((2000.0, 0.0)));
        Assert.That(device.Has(typeof(ISwitch)), Is.True);
    }

    [Test]
    public async Task Invert_flips_a_ct_clamped_the_other_way_round()
    {
        await using var emulator = Emulator(ShellyModel.Pro3Em);
        var meter = (await Device(emulator, invert: true).ReadAsync(CancellationToken.None)).Meter!;
        Assert.That((meter.PowerW, meter.ImportEnergyWh, meter.ExportEnergyWh), Is.EqualTo((-1200.0, (double?)1000, (double?)5000)));
    }

    [Test]
    public async Task A_device_that_changes_generation_is_found_again()
    {
        var pro = Emulator(ShellyModel.Pro3Em);
        var port = pro.Port;
        var device = Device(pro);
        await device.ReadAsync(CancellationToken.None);
        await pro.DisposeAsync();
        await using var gen1 = new ShellyEmulator(ShellyModel.Gen1ThreeEm, _time);
        gen1.Start(port);

        Assert.That(async () => await device.ReadAsync(CancellationToken.None), Throws.InstanceOf<IOException>());
        Assert.That((await device.ReadAsync(CancellationToken.None)).Meter!.Phases, Has.Count.EqualTo(3));
        Assert.That(device.DisplayName, Does.Contain("Gen1"));
    }

    [Test]
    public async Task A_gen1_device_is_asked_for_its_status_once_on_the_first_read()
    {
        await using var emulator = Emulator(ShellyModel.Gen1ThreeEm);
        await Device(emulator).ReadAsync(CancellationToken.None);
        Assert.That(emulator.Paths, Is.EqualTo(new[] { "/shelly", "/status" }), "detecting reads the status the first reading then uses");
    }

    [Test]
    public async Task Net_metering_integrates_the_signed_power_keeps_it_on_stop_and_goes_on_after_a_restart()
    {
        await using var emulator = Emulator(ShellyModel.Pro3Em);
        var interval = TimeSpan.FromMinutes(1);
        var device = Device(emulator, metering: ShellyMetering.Net, pollInterval: interval);
        emulator.PowerW = 1200;
        await ReadEvery(device, interval, 10);
        emulator.PowerW = -600;
        await ReadEvery(device, interval, 10);
        var before = (await device.ReadAsync(CancellationToken.None)).Meter!;
        device.Dispose();

        var expected = new NetEnergyCounter(interval * 3);
        var at = _time.GetUtcNow() - interval * 20;
        foreach (var power in Enumerable.Repeat(1200.0, 10).Concat(Enumerable.Repeat(-600.0, 10)).Append(-600.0))
        {
            expected.Add(at, power);
            at += interval;
        }
        Assert.That((before.ImportEnergyWh, before.ExportEnergyWh), Is.EqualTo(((double?)expected.ImportWh, (double?)expected.ExportWh)),
            "the counter the reads were made with, not the device's own per-phase counters");
        Assert.That(before.ImportEnergyWh, Is.LessThan(5000), "the emulated device's own counters start at 5 kWh");

        _time.Advance(TimeSpan.FromHours(2));   // stopped for two hours: not counted
        var again = Device(emulator, metering: ShellyMetering.Net, pollInterval: interval);
        var first = (await again.ReadAsync(CancellationToken.None)).Meter!;
        _time.Advance(interval);
        var second = (await again.ReadAsync(CancellationToken.None)).Meter!;
        Assert.That((first.ImportEnergyWh, first.ExportEnergyWh), Is.EqualTo((before.ImportEnergyWh, before.ExportEnergyWh)), "kept across the restart");
        Assert.That(second.ExportEnergyWh - first.ExportEnergyWh, Is.EqualTo(600.0 / 60).Within(1e-9), "one more minute at -600 W");
        again.Dispose();
    }

    [Test]
    public async Task Net_counters_are_saved_every_five_minutes_so_a_crash_loses_at_most_that()
    {
        await using var emulator = Emulator(ShellyModel.Pro3Em);
        var interval = TimeSpan.FromMinutes(1);
        var device = Device(emulator, metering: ShellyMetering.Net, pollInterval: interval);
        await ReadEvery(device, interval, 6);
        var file = Path.Combine(_dataDir, "net-energy.json");
        Assert.That(File.Exists(file), Is.True, "saved without a stop");
        var saved = new NetEnergyFile(file).Load(_time.GetUtcNow())!.Value;
        Assert.That(saved.ImportWh, Is.EqualTo(1200.0 * 5 / 60).Within(1e-9), "five minutes at 1200 W, saved when five minutes had passed");
        device.Dispose();
    }

    [Test]
    public async Task An_unreadable_net_counter_file_is_kept_aside_and_counting_starts_again_with_an_error_that_says_so()
    {
        await using var emulator = Emulator(ShellyModel.Pro3Em);
        await File.WriteAllTextAsync(Path.Combine(_dataDir, "net-energy.json"), "{\"ImportWh\": 12");
        var logger = new ListLogger();
        var device = Device(emulator, metering: ShellyMetering.Net, logger: logger);

        Assert.That((await device.ReadAsync(CancellationToken.None)).Meter!.ImportEnergyWh, Is.Zero);
        Assert.That(Directory.GetFiles(_dataDir, "net-energy.json.*.bad"), Has.Length.EqualTo(1), "the old file is not overwritten");
        Assert.That(logger.Errors, Has.Some.Contains("start again from 0").And.Some.Contains(".bad"));
        device.Dispose();
    }

    [Test]
    public async Task A_single_phase_meter_on_a_three_phase_site_reports_on_its_phase_only()
    {
        await using var plug = Emulator(ShellyModel.Plus1Pm);
        plug.PowerW = 2000;
        var meter = (await Device(plug, ShellyRole.Consumer, phase: 2).ReadAsync(CancellationToken.None)).Meter!;
        Assert.That(meter.Phases.Select(p => p.PowerW), Is.EqualTo(new double?[] { null, 2000, null }));

        await using var pro = Emulator(ShellyModel.Pro3Em);
        Assert.That(async () => await Device(pro, phase: 1).ReadAsync(CancellationToken.None),
            Throws.InvalidOperationException.With.Message.Contains("remove Phase"));
    }

    [Test]
    public async Task A_device_that_hangs_times_out_at_half_the_poll_interval_and_answers_again_afterwards()
    {
        await using var emulator = Emulator(ShellyModel.Pro3Em);
        var device = Device(emulator, pollInterval: TimeSpan.FromMilliseconds(400));
        await device.ReadAsync(CancellationToken.None);

        emulator.Hold();
        Assert.That(async () => await device.ReadAsync(CancellationToken.None),
            Throws.TypeOf<TimeoutException>().With.Message.Contains("within 0.2 s (half the PollInterval)"));
        emulator.Release();
        Assert.That((await device.ReadAsync(CancellationToken.None)).Meter!.PowerW, Is.EqualTo(1200));
    }

    [Test]
    public async Task Three_timeouts_in_a_row_turn_the_device_offline_and_the_next_answer_online_again()
    {
        await using var emulator = Emulator(ShellyModel.Pro3Em);
        var options = new ShellyOptions { Driver = "shelly", Host = $"127.0.0.1:{emulator.Port}", PollInterval = TimeSpan.FromMilliseconds(400) };
        var device = new ShellyDevice(options, new DeviceContext("grid", NullLogger.Instance, _time, _dataDir, new NoServices()));
        var registry = new EnergyHub.Core.Devices.DeviceRegistry([new EnergyHub.Core.Devices.DeviceSession(device, "shelly", options, _time)]);
        var site = new EnergyHub.Core.Devices.SiteState(registry, _time);
        var poller = new EnergyHub.Core.Devices.DevicePoller(registry.Sessions.Single(), site, _time, NullLogger.Instance);
        EnergyHub.Site.DeviceHealth Health() => site.Snapshot()["grid"].Health;

        await poller.PollOnceAsync(CancellationToken.None);
        emulator.Hold();
        var seen = new List<EnergyHub.Site.DeviceHealth>();
        for (var i = 0; i < 3; i++)
        {
            await poller.PollOnceAsync(CancellationToken.None);
            seen.Add(Health());
        }
        emulator.Release();
        await poller.PollOnceAsync(CancellationToken.None);

        Assert.That(seen, Is.EqualTo(new[] { EnergyHub.Site.DeviceHealth.Online, EnergyHub.Site.DeviceHealth.Online, EnergyHub.Site.DeviceHealth.Offline }));
        Assert.That(Health(), Is.EqualTo(EnergyHub.Site.DeviceHealth.Online));
    }

    private async Task ReadEvery(ShellyDevice device, TimeSpan interval, int reads)
    {
        for (var i = 0; i < reads; i++)
        {
            await device.ReadAsync(CancellationToken.None);
            _time.Advance(interval);
        }
    }
}
