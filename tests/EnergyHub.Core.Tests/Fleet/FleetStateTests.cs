using System.Text;
using EnergyHub.Core.Config;
using EnergyHub.Core.Energy;
using EnergyHub.Core.Fleet;
using EnergyHub.Core.Journal;
using EnergyHub.Core.Tests.Support;
using EnergyHub.Time;

namespace EnergyHub.Core.Tests.Fleet;

public sealed class FleetStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static byte[] Summary(DateTimeOffset siteTime, DateTimeOffset sent, double gridW, string inverterHealth = "Online") => Encoding.UTF8.GetBytes(new SiteSummary
    {
        Name = "Home 1", Time = siteTime, SentUtc = sent, GridW = gridW, PvW = 3000, SocPct = double.NaN,
        Today = new TodayEnergy(DateOnly.FromDateTime(siteTime.DateTime)) { PvKwh = 12.5 },
        Devices = new Dictionary<string, string> { ["grid"] = "Online", ["inverter"] = inverterHealth },
    }.ToJson());

    [Test]
    public void A_summary_becomes_the_site_s_balance_series_once_and_its_status_follows_age_health_and_presence()
    {
        var time = new ManualTimeProvider(Now);
        var state = new FleetState(new FleetOptions { StaleAfter = TimeSpan.FromMinutes(1) }, time);

        var records = state.Take("energyhub/home1/summary", Summary(Now.AddYears(-1), Now.AddMilliseconds(-40), -1500));

        Assert.That(records.Cast<ReadingRecord>().Select(r => (r.Series, r.Value)),
            Is.EqualTo(new[] { ("home1/balance/PvW", 3000.0), ("home1/balance/GridW", -1500.0) }), "NaN is not a reading");
        Assert.That(records.Cast<ReadingRecord>().All(r => r.Time == Now.AddMilliseconds(-40) && r.Device == "home1/balance"),
            "at the wall-clock time the site sent it, whatever its own clock says");
        var site = state.Sites().Single();
        Assert.That((site.Id, site.Status, site.Lag, site.Summary!.Today!.PvKwh), Is.EqualTo(("home1", FleetSiteStatus.Online, TimeSpan.FromMilliseconds(40), 12.5)));
        Assert.That(state.Take("energyhub/home1/summary", Summary(Now.AddYears(-1), Now.AddMilliseconds(-40), -1500)), Is.Empty,
            "the same summary again (retained, after a reconnect) is not journaled twice");

        state.Take("energyhub/home1/summary", Summary(Now.AddYears(-1).AddSeconds(10), Now, -1400, inverterHealth: "Offline"));
        Assert.That(state.Sites().Single().Status, Is.EqualTo(FleetSiteStatus.Degraded));
        var device = state.Take("energyhub/home1/grid/state", Encoding.UTF8.GetBytes(
            "{\"timestamp\":\"" + Now.AddYears(-1).AddSeconds(9).ToString("O") + "\",\"values\":{\"Meter.PowerW\":-1400}}"));
        Assert.That(device.Single().Time, Is.EqualTo(Now.AddSeconds(-1)), "a device's readings move by the site's clock offset too");
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.That(state.Sites().Single().Status, Is.EqualTo(FleetSiteStatus.Stale));
        state.Take("energyhub/home1/$SYS/Status", "Offline"u8);
        Assert.That(state.Sites().Single().Status, Is.EqualTo(FleetSiteStatus.Offline));
    }

    [Test]
    public void A_device_state_document_becomes_readings_and_anything_malformed_is_counted_and_skipped()
    {
        var state = new FleetState(new FleetOptions(), new ManualTimeProvider(Now));

        var records = state.Take("energyhub/home2/grid/state",
            """{"timestamp":"2026-06-01T11:59:58Z","values":{"Meter.PowerW":-812.5,"Meter.L1.VoltageV":231},"units":{"Meter.PowerW":"W","Meter.L1.VoltageV":"V"}}"""u8);

        Assert.That(records.Cast<ReadingRecord>().Select(r => (r.Series, r.Unit, r.Value)),
            Is.EqualTo(new[] { ("home2/grid/Meter.PowerW", "W", -812.5), ("home2/grid/Meter.L1.VoltageV", "V", 231.0) }));
        Assert.That(state.Take("energyhub/home2/grid/state", "{\"values\":{}}"u8), Is.Empty);
        Assert.That(state.Take("energyhub/home2/summary", "not json"u8), Is.Empty);
        Assert.That(state.Take("energyhub/home2/grid/Meter/PowerW", "1"u8), Is.Empty, "single values are the exporter's, not the fleet's");
        Assert.That(state.Rejected, Is.EqualTo(2));
        Assert.That(state.Sites().Single().Status, Is.EqualTo(FleetSiteStatus.Stale), "heard of, but no summary yet");
    }

    [Test]
    public void A_fleet_file_with_a_device_or_no_broker_is_refused_naming_the_section_and_key()
    {
        var path = TestSite.WriteConfig("""
            [Fleet]
            Prefix = energyhub
            [Device:grid]
            Driver = sim-meter
            [Journal]
            Backend = Postgres
            """);

        var errors = Assert.Throws<ConfigException>(() => FleetConfig.Validate(ConfigDocument.Load(path, new System.Collections.Hashtable())))!.Errors;

        Assert.That(errors.Select(e => (e.Section, e.Key)), Is.EquivalentTo(new (string, string?)[] { ("Device", null), ("Mqtt", "Host"), ("Journal", "ConnectionString") }));
        Assert.That(errors.First(e => e.Section == "Device").Problem, Does.Contain("no devices"));
    }
}
