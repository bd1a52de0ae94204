using System.Globalization;
using EnergyHub.Plugins.Simulator.Site;

namespace EnergyHub.Plugins.Simulator.Tests;

/// <summary>A site driven by an hourly year of solar output and day-ahead prices, and a car that drives.</summary>
public sealed class HourlySeriesTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    // Two days from 2025-06-01 00:00Z: solar 0 at night and 10 by day (06–18 UTC), spot 100 €/MWh, −50 from 11 to 13 UTC.
    private static string TwoDays()
    {
        var lines = new List<string> { "datetime_utc,solar_mw_avg,day_ahead_price_eur_mwh" };
        var first = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
        for (var h = 0; h < 48; h++)
        {
            var at = first.AddHours(h);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{at:yyyy-MM-ddTHH:mm:ss}+00:00,{(at.Hour is >= 6 and < 18 ? 10 : 0)},{(at.Hour is 11 or 12 ? -50 : 100)}"));
        }
        var path = Path.Combine(Directory.CreateTempSubdirectory("energyhub-series-").FullName, "series.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Test]
    public void PV_is_the_solar_shape_scaled_to_the_yearly_yield_and_prices_are_spot_plus_fees()
    {
        // Two days of 12 sunny hours at 10 units: a yield of 365 kWh a year is 1 kWh a day, 1000/12 W in each sunny hour.
        var series = HourlySeries.Load(TwoDays(), pvKwhPerYear: 365, importFeePerKwh: 0.20);
        var noon = new DateTimeOffset(2025, 6, 1, 12, 30, 0, TimeSpan.Zero);

        Assert.That(series.PvW(noon), Is.EqualTo(1000.0 / 12).Within(1e-9));
        Assert.That(series.PvW(noon.AddHours(10)), Is.Zero);
        Assert.That(series.PriceAt(noon), Is.EqualTo((-0.05 + 0.20, -0.05)).Using<(double, double)>((a, b) => Math.Abs(a.Item1 - b.Item1) < 1e-12 && Math.Abs(a.Item2 - b.Item2) < 1e-12));
        Assert.That(series.End, Is.EqualTo(new DateTimeOffset(2025, 6, 3, 0, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void Prices_are_published_to_the_end_of_today_and_from_13_00_local_to_the_end_of_tomorrow()
    {
        var options = new SiteOptions { Driver = "sim-site", PvKwp = 1, PvKwhPerKwp = 365 };
        var start = new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero); // 10:00 in Berlin (UTC+2)
        var site = new SimulatedSite(options, start, siteZone: Berlin, series: HourlySeries.Load(TwoDays(), 365, 0.2));

        var morning = site.PublishedHours(start.AddMinutes(20));
        var afternoon = site.PublishedHours(new DateTimeOffset(2025, 6, 1, 11, 5, 0, TimeSpan.Zero)); // 13:05 local

        Assert.That((morning[0].Start, morning[^1].End), Is.EqualTo((start, new DateTimeOffset(2025, 6, 1, 22, 0, 0, TimeSpan.Zero))), "to local midnight");
        Assert.That(afternoon[^1].End, Is.EqualTo(new DateTimeOffset(2025, 6, 2, 22, 0, 0, TimeSpan.Zero)), "tomorrow's auction is out");
        Assert.That(site.Observe(start.AddHours(4)).ImportPerKwh, Is.EqualTo(0.15).Within(1e-12), "12:00 UTC: −50 €/MWh + 0.20");
    }

    [TestCase("datetime_utc,solar,price\n", "no column solar_mw_avg")]
    [TestCase("datetime_utc,solar_mw_avg,day_ahead_price_eur_mwh\n2025-01-01T00:00:00+00:00,0,10\n2025-01-01T02:00:00+00:00,0,10\n", ":3: rows must follow each other hour by hour")]
    [TestCase("datetime_utc,solar_mw_avg,day_ahead_price_eur_mwh\n2025-01-01T00:00:00+00:00,sunny,10\n", ":2: expected a time, a solar value and a price")]
    public void A_malformed_series_names_the_line(string text, string message)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("energyhub-series-").FullName, "bad.csv");
        File.WriteAllText(path, text);
        var ex = Assert.Throws<InvalidDataException>(() => HourlySeries.Load(path, 1000, 0.2));
        Assert.That(ex!.Message, Does.Contain(message));
    }

    [Test]
    public void The_car_uses_its_daily_drive_at_local_midnight()
    {
        var options = new SiteOptions { Driver = "sim-site", EvCapacityWh = 60_000, EvInitialSocPct = 50, EvDriveKwhPerDay = 6, Step = TimeSpan.FromMinutes(1) };
        var evening = new DateTimeOffset(2025, 6, 1, 21, 0, 0, TimeSpan.Zero); // 23:00 in Berlin
        var site = new SimulatedSite(options, evening, siteZone: Berlin);

        var before = site.Observe(evening.AddMinutes(59)).EvSocPct;
        var after = site.Observe(evening.AddMinutes(61)).EvSocPct;

        Assert.That((before, after), Is.EqualTo((50.0, 40.0)));
    }
}
