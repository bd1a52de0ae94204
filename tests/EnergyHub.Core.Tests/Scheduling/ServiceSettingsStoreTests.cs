using EnergyHub.Core.Scheduling;
using EnergyHub.Services;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests.Scheduling;

public sealed class ServiceSettingsStoreTests
{
    private enum Mode { Off, PvOnly, Max }

    private sealed class Tunable : IService, IHasSettings
    {
        public double LimitW { get; private set; } = 1000;
        public Mode Mode { get; private set; } = Mode.Off;
        public string Name => "Tunable";
        public IReadOnlyList<ServiceSetting> Settings => field ??= [
            ServiceSetting.Number("LimitW", "The limit.", 0, 5000, () => LimitW, v => LimitW = v),
            ServiceSetting.Choice("Mode", "The mode.", () => Mode, m => Mode = m),
        ];
        public Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(ServiceTick tick, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private string _path = "";

    [SetUp]
    public void Path() => _path = System.IO.Path.Combine(Directory.CreateTempSubdirectory("energyhub-settings-").FullName, "settings.json");

    [Test]
    public void Values_are_checked_applied_and_named_when_refused()
    {
        var store = new ServiceSettingsStore(_path, NullLogger.Instance);
        var service = new Tunable();
        store.Attach("Tunable", service);

        Assert.Multiple(() =>
        {
            Assert.That(store.Apply("Tunable", "limitw", "2500"), Is.Null);
            Assert.That(service.LimitW, Is.EqualTo(2500));
            Assert.That(store.Apply("Tunable", "Mode", "pvonly"), Is.Null, "choices are case-insensitive");
            Assert.That(service.Mode, Is.EqualTo(Mode.PvOnly));
            Assert.That(store.Apply("Tunable", "LimitW", "9000"), Is.EqualTo("Tunable/LimitW: '9000' is not a number from 0 to 5000"));
            Assert.That(store.Apply("Tunable", "LimitW", "NaN"), Does.Contain("is not a number"));
            Assert.That(store.Apply("Tunable", "Mode", "Turbo"), Is.EqualTo("Tunable/Mode: 'Turbo' is not one of Off, PvOnly, Max"));
            Assert.That(store.Apply("Tunable", "Speed", "1"), Is.EqualTo("Tunable has no setting Speed; it has LimitW, Mode"));
            Assert.That(store.Apply("Pool", "Mode", "On"), Does.StartWith("no switched-on service Pool has settings"));
            Assert.That(service.LimitW, Is.EqualTo(2500), "a refused value changes nothing");
        });
    }

    [Test]
    public void A_new_instance_and_a_new_store_get_the_owners_values_back()
    {
        var store = new ServiceSettingsStore(_path, NullLogger.Instance);
        store.Attach("Tunable", new Tunable());
        store.Apply("Tunable", "LimitW", "1234.5");
        store.Apply("Tunable", "Mode", "Max");

        var restarted = new Tunable();
        store.Attach("Tunable", restarted);
        var afterReboot = new Tunable();
        new ServiceSettingsStore(_path, NullLogger.Instance).Attach("Tunable", afterReboot);

        Assert.That((restarted.LimitW, restarted.Mode), Is.EqualTo((1234.5, Mode.Max)));
        Assert.That((afterReboot.LimitW, afterReboot.Mode), Is.EqualTo((1234.5, Mode.Max)));
    }

    [Test]
    public void A_saved_value_that_no_longer_applies_is_dropped_and_the_configured_one_kept()
    {
        File.WriteAllText(_path, """{"Tunable":{"LimitW":"99999","Gone":"1"}}""");
        var service = new Tunable();
        new ServiceSettingsStore(_path, NullLogger.Instance).Attach("Tunable", service);
        Assert.That(service.LimitW, Is.EqualTo(1000));
    }

    [Test]
    public void A_corrupt_settings_file_is_survived()
    {
        File.WriteAllText(_path, "{ not json");
        var service = new Tunable();
        Assert.DoesNotThrow(() => new ServiceSettingsStore(_path, NullLogger.Instance).Attach("Tunable", service));
        Assert.That(service.LimitW, Is.EqualTo(1000));
    }

    [Test]
    public void Published_values_restore_a_new_data_dir_before_or_after_the_service_starts_but_never_over_a_value_set_since_or_a_kept_file()
    {
        var fresh = new ServiceSettingsStore(_path, NullLogger.Instance);
        fresh.Restore("Tunable", "Mode", "Max");            // arrives before the service starts
        var service = new Tunable();
        fresh.Attach("Tunable", service);
        fresh.Restore("Tunable", "LimitW", "1500");         // and after
        Assert.That(fresh.Apply("Tunable", "LimitW", "2000"), Is.Null);
        fresh.Restore("Tunable", "LimitW", "1500");         // a value set since start wins
        Assert.That((fresh.StartedFresh, service.Mode, service.LimitW), Is.EqualTo((true, Mode.Max, 2000.0)));

        var kept = new ServiceSettingsStore(_path, NullLogger.Instance);
        var again = new Tunable();
        kept.Attach("Tunable", again);
        kept.Restore("Tunable", "Mode", "PvOnly");
        Assert.That((kept.StartedFresh, again.Mode), Is.EqualTo((false, Mode.Max)), "the file written on the first start counts, not the broker");
    }
}
