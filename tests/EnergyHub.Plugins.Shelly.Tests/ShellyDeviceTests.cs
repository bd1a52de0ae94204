using EnergyHub.Devices;
using EnergyHub.Plugins.Simulator.Emulators;
using EnergyHub.TestSupport;
using EnergyHub.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.Shelly.Tests;

/// <summary>The shelly driver against the Shelly emulator over real HTTP on 127.0.0.1: Gen1 3EM, Pro 3EM, Plus 1PM.</summary>
public sealed class ShellyDeviceTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    private ShellyDevice Device(ShellyEmulator emulator, MeterRole role = MeterRole.Grid, bool invert = false, string password = "") =>
        new(new ShellyOptions { Driver = "shelly", Host = $"127.0.0.1:{emulator.Port}", Role = role, Invert = invert, Password = password },
            new DeviceContext("shelly", NullLogger.Instance, _time, Path.GetTempPath(), new NoServices()));

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
        var device = Device(emulator, MeterRole.Load);

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
}
