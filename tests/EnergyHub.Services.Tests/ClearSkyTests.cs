using EnergyHub.Services.BatteryScheduler;

namespace EnergyHub.Services.Tests;

/// <summary>The clear-sky curve the forecast starts from, the place a time zone names, and the first day's forecast built on them.</summary>
public sealed class ClearSkyTests
{
    private static readonly TimeZoneInfo Brisbane = TimeZoneInfo.FindSystemTimeZoneById("Australia/Brisbane");

    // Sunrise and sunset: the first and last quarter-minute of the day with sun on the array.
    private static (TimeSpan Rise, TimeSpan Set) SunUp(ClearSky sky, DateTime localDay, TimeZoneInfo zone)
    {
        var minutes = Enumerable.Range(0, 24 * 60)
            .Select(m => new DateTimeOffset(localDay.AddMinutes(m), zone.GetUtcOffset(localDay.AddMinutes(m))))
            .Where(t => sky.PvW(t) > 0).ToList();
        return (minutes[0].TimeOfDay, minutes[^1].TimeOfDay);
    }

    // Published sunrise and sunset (timeanddate.com), local time; the curve starts once the sun is ~0.6° up.
    [TestCase(-27.47, 153.03, "Australia/Brisbane", 2025, 11, 12, "04:47", "18:16", TestName = "Brisbane in November: up at 04:47, down at 18:16")]
    [TestCase(52.52, 13.40, "Europe/Berlin", 2025, 6, 21, "04:43", "21:33", TestName = "Berlin at midsummer: up at 04:43, down at 21:33")]
    [TestCase(52.52, 13.40, "Europe/Berlin", 2025, 12, 21, "08:15", "15:54", TestName = "Berlin at midwinter: up at 08:15, down at 15:54")]
    public void The_sun_rises_and_sets_within_a_quarter_hour_of_the_published_times(double lat, double lon, string zoneId, int y, int m, int d, string rise, string set)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var (up, down) = SunUp(new ClearSky(lat, lon, 5), new DateTime(y, m, d), zone);

        Assert.That(up, Is.EqualTo(TimeSpan.Parse(rise)).Within(TimeSpan.FromMinutes(15)));
        Assert.That(down, Is.EqualTo(TimeSpan.Parse(set)).Within(TimeSpan.FromMinutes(15)));
    }

    [Test]
    public void At_noon_a_kwp_gives_most_of_a_kw_and_in_the_polar_night_nothing()
    {
        var noon = new ClearSky(-27.47, 153.03, 6).PvW(new DateTimeOffset(2025, 11, 12, 11, 45, 0, TimeSpan.FromHours(10)));
        var tromso = new ClearSky(69.65, 18.96, 6);

        Assert.That(noon, Is.InRange(6 * 0.7 * 1000, 6 * 0.85 * 1000), "the sun nearly overhead: about 0.8 kW a kWp");
        Assert.That(Enumerable.Range(0, 24).Select(h => tromso.PvW(new DateTimeOffset(2025, 12, 21, h, 0, 0, TimeSpan.Zero))), Is.All.Zero);
    }

    [TestCase("AU\t-2728+15302\tAustralia/Brisbane\tQueensland (most areas)", "Australia/Brisbane", -27.4667, 153.0333)]
    [TestCase("US\t+404251-0740023\tAmerica/New_York\tEastern (most areas)", "America/New_York", 40.7142, -74.0064)]
    [TestCase("PL\t+5215+02100\tEurope/Warsaw", "Europe/Warsaw", 52.25, 21.0)]
    public void A_tz_table_line_gives_the_zones_city(string line, string zone, double lat, double lon)
    {
        var found = ZoneLocation.Find(["# comment", "XX\t+0000+00000\tEtc/Other", line], zone);

        Assert.That(found, Is.Not.Null);
        Assert.That(found!.Value.LatitudeDeg, Is.EqualTo(lat).Within(1e-3));
        Assert.That(found.Value.LongitudeDeg, Is.EqualTo(lon).Within(1e-3));
    }

    [Test]
    public void A_zone_no_table_lists_has_no_place()
    {
        Assert.That(ZoneLocation.Find(["AU\t-2728+15302\tAustralia/Brisbane"], "Etc/UTC"), Is.Null);
        Assert.That(ZoneLocation.Of("Etc/UTC"), Is.Null);
    }

    [Test]
    public void The_machines_tz_tables_know_brisbane()
    {
        Assume.That(File.Exists("/usr/share/zoneinfo/zone.tab") || File.Exists("/usr/share/zoneinfo/zone1970.tab"), "no tz tables on this machine");
        Assert.That(ZoneLocation.Of("Australia/Brisbane"), Is.EqualTo((-27.0 - 28.0 / 60, 153.0 + 2.0 / 60)));
    }

    [Test]
    public void Without_history_the_evening_forecast_sees_no_pv_tonight_and_the_sun_tomorrow()
    {
        // 19:00 in Brisbane, the PV still giving 2 kW: what the first day's planner sees.
        var start = new DateTimeOffset(2025, 11, 12, 19, 0, 0, TimeSpan.FromHours(10));
        var prices = Enumerable.Range(0, 48).Select(i => new PlanSlot(start.AddMinutes(30 * i), TimeSpan.FromMinutes(30), 0.25, 0.10, 0, 0)).ToList();
        var options = new BatterySchedulerOptions { Battery = "battery", Prices = "prices", GridMeter = "grid" };
        var spec = BatteryPlanning.Spec(options, null);
        var sky = BatteryPlanning.ClearSkyOf(options, Brisbane, inverterRatedW: 6000);

        var (_, forecast) = BatteryPlanning.Plan(options, spec, prices, new SiteHistory(), 70, pvW: 2000, loadW: 400, null, Brisbane, sky);
        double PvAt(int hour, int day = 0) => forecast.Single(s => s.Start == new DateTimeOffset(2025, 11, 12 + day, hour, 0, 0, TimeSpan.FromHours(10))).PvKwh;

        Assert.That(sky, Is.EqualTo(new ClearSky(-27.0 - 28.0 / 60, 153.0 + 2.0 / 60, 6)), "Brisbane's place from the zone, the inverter's 6 kW");
        Assert.That(new[] { PvAt(21), PvAt(23), PvAt(2, 1) }, Is.All.Zero, "no sun at night, whatever the PV gave at 19:00");
        Assert.That(PvAt(12, 1), Is.GreaterThan(1.5), "half an hour at noon tomorrow: most of 6 kW × 0.8");
    }

    [Test]
    public void Latitude_without_longitude_is_a_config_error()
    {
        var options = new BatterySchedulerOptions { Battery = "battery", Prices = "prices", GridMeter = "grid", Latitude = -27.5 };
        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.That(errors.Single().ErrorMessage, Does.Contain("Latitude and Longitude are set together").And.Contain("only Latitude is set"));
    }
}
