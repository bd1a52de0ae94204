using EnergyHub.Time;
using EnergyHub.TestSupport;
using System.Net;
using EnergyHub.Plugins;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.Pse.Tests;

public sealed class PseTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);

    [Test]
    public void Recorded_rows_become_utc_quarter_hours_in_pln_per_mwh()
    {
        var (rows, next) = PseRows.Parse(Fixture("csdac.json"), "csdac_pln");
        Assert.That(next, Does.Contain("$after="), "the recorded page links to the next one");
        Assert.That(rows[0], Is.EqualTo(new PseRow(Utc("2026-05-10 10:00:00"), Utc("2026-05-10 10:15:00"), 35.12, new DateOnly(2026, 5, 10))));
        Assert.That(rows.Select(r => r.PricePerMwh), Has.Some.Negative, "negative day-ahead prices are kept");
    }

    [Test]
    public void Without_utc_fields_local_warsaw_times_are_converted()
    {
        var (rows, _) = PseRows.Parse(Fixture("rce-pln-2025-10-02-select.json"), "rce_pln");
        Assert.That(rows[0].Start, Is.EqualTo(Utc("2025-10-01 22:00:00")), "00:00-00:15 local in summer time is 22:00Z the day before");
        Assert.That(rows[0].PricePerMwh, Is.EqualTo(421.4));
    }

    [Test]
    public void An_error_body_is_a_format_error_that_quotes_pse() =>
        Assert.That(() => PseRows.Parse(Fixture("error-400-unknown-property.json"), "rce_pln"),
            Throws.InstanceOf<FormatException>().With.Message.Contains("Could not find a property named 'doba'"));

    [TestCase("2026-03-29", 92, 23)]
    [TestCase("2026-10-25", 100, 25)]
    [TestCase("2026-06-15", 96, 24)]
    public void Dst_days_have_92_or_100_contiguous_quarter_hours(string day, int quarters, int hours)
    {
        var date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var withUtc in new[] { true, false })
        {
            if (!withUtc && quarters == 100)
            {
                continue; // repeated local times need dtime_utc; PSE's full schema carries it
            }
            var (rows, _) = PseRows.Parse(PseDays.Page(date, "csdac_pln", i => i), "csdac_pln");
            var series = PsePrices.Build(rows, null, new PseOptions { Driver = "pse", FeedInPriceFrom = PseReport.None }, date);
            Assert.That(series.Intervals, Has.Count.EqualTo(quarters), $"withUtc={withUtc}");
            Assert.That((series.Intervals[^1].End - series.Intervals[0].Start).TotalHours, Is.EqualTo(hours));
            Assert.That(series.Intervals.Zip(series.Intervals.Skip(1)).All(p => p.First.End == p.Second.Start), Is.True, "contiguous");
        }
    }

    [Test]
    public void Hourly_rows_make_hour_long_intervals()
    {
        const string json = """{"value":[{"dtime_utc":"2024-06-13 23:00:00","period":"00:00 - 01:00","csdac_pln":500,"business_date":"2024-06-14"}]}""";
        var row = PseRows.Parse(json, "csdac_pln").Rows.Single();
        Assert.That(row.End - row.Start, Is.EqualTo(TimeSpan.FromHours(1)));
    }

    [Test]
    public void The_household_import_price_adds_fees_and_vat_and_feed_in_is_the_hourly_mean()
    {
        var date = new DateOnly(2026, 6, 15);
        var (import, _) = PseRows.Parse(PseDays.Page(date, "csdac_pln", _ => 400), "csdac_pln");
        var (rce, _) = PseRows.Parse(PseDays.Page(date, "rce_pln", i => i < 4 ? new[] { -100.0, 100, 200, 400 }[i] : 300), "rce_pln");
        var options = new PseOptions { Driver = "pse", DistributionPerKwh = 0.3, MarkupPerKwh = 0.05, VatPct = 23 };

        var series = PsePrices.Build(import, rce, options, date);
        var clamped = PsePrices.Build(import, rce, new PseOptions
        {
            Driver = "pse", DistributionPerKwh = 0.3, MarkupPerKwh = 0.05, VatPct = 23, FeedInHourlyMean = false, FeedInClampNegative = true, FeedInFactor = 1.23,
        }, date);

        Assert.Multiple(() =>
        {
            Assert.That(series.Intervals[0].ImportPerKwh, Is.EqualTo((0.4 + 0.3 + 0.05) * 1.23).Within(1e-12));
            Assert.That(series.Intervals[0].SpotPerKwh, Is.EqualTo(0.4).Within(1e-12));
            Assert.That(series.Intervals.Take(4).Select(i => i.FeedInPerKwh), Is.All.EqualTo(0.15).Within(1e-12), "mean of -100, 100, 200, 400 PLN/MWh");
            Assert.That(clamped.Intervals.Take(2).Select(i => i.FeedInPerKwh), Is.EqualTo(new[] { 0, 0.123 }).Within(1e-12));
            Assert.That(series.Intervals.All(i => !i.IsForecast), Is.True, "today's day-ahead prices are final");
        });
    }

    private sealed class Api(Func<string, (HttpStatusCode, string)> answer) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = Uri.UnescapeDataString(request.RequestUri!.PathAndQuery);
            Requests.Add(url);
            var (status, body) = answer(url);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body) });
        }
    }


    private static PsePriceSource Driver(Api api, DateTimeOffset now) =>
        new(new PseOptions { Driver = "pse", FeedInPriceFrom = PseReport.Rce, BaseUrl = new Uri("http://127.0.0.1:9/api") },
            new DeviceContext("pse", NullLogger.Instance, new ManualTimeProvider(now), Directory.CreateTempSubdirectory("energyhub-pse-").FullName, new NoServices()),
            api);

    [Test]
    public async Task Before_publication_tomorrow_is_simply_absent()
    {
        var today = new DateOnly(2026, 6, 15);
        var api = new Api(url => url.Contains("2026-06-16", StringComparison.Ordinal)
            ? (HttpStatusCode.OK, Fixture("csdac-not-yet-published.json"))
            : (HttpStatusCode.OK, PseDays.Page(today, url.Contains("rce", StringComparison.Ordinal) ? "rce_pln" : "csdac_pln", i => i)));
        using var driver = Driver(api, new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.Zero));

        var reading = await driver.ReadAsync(CancellationToken.None);

        Assert.That(reading.Prices!.Intervals, Has.Count.EqualTo(96));
        Assert.That(reading.Prices.Currency, Is.EqualTo("PLN"));
        Assert.That(api.Requests, Has.Count.EqualTo(4), "csdac and rce, today and tomorrow");
        Assert.That(api.Requests[0], Is.EqualTo("/api/csdac-pln?$filter=business_date eq '2026-06-15'&$first=200"));
    }

    [Test]
    public async Task Tomorrow_once_published_is_marked_as_forecast_and_a_next_link_is_followed()
    {
        var today = new DateOnly(2026, 6, 15);
        var api = new Api(url =>
        {
            var day = url.Contains("2026-06-16", StringComparison.Ordinal) ? today.AddDays(1) : today;
            var field = url.Contains("rce", StringComparison.Ordinal) ? "rce_pln" : "csdac_pln";
            var page = PseDays.Page(day, field, i => i);
            if (day == today && field == "csdac_pln" && !url.Contains("$after", StringComparison.Ordinal))
            {
                // First page: the first 50 rows and a link to the rest.
                var rows = page.Split("},{");
                return (HttpStatusCode.OK, string.Join("},{", rows.Take(50)) + "}],\"nextLink\":\"http://127.0.0.1:9/api/csdac-pln?$filter=x&$after=50\"}");
            }
            if (url.Contains("$after=50", StringComparison.Ordinal))
            {
                var rows = PseDays.Page(today, "csdac_pln", i => i).Split("},{");
                return (HttpStatusCode.OK, "{\"value\":[{" + string.Join("},{", rows.Skip(50)));
            }
            return (HttpStatusCode.OK, page);
        });
        using var driver = Driver(api, new DateTimeOffset(2026, 6, 15, 13, 0, 0, TimeSpan.Zero));

        var series = (await driver.ReadAsync(CancellationToken.None)).Prices!;

        Assert.That(series.Intervals, Has.Count.EqualTo(192));
        Assert.That(series.Intervals.Count(i => i.IsForecast), Is.EqualTo(96));
    }

    [Test]
    public void A_bad_request_says_what_pse_answered()
    {
        var api = new Api(_ => (HttpStatusCode.BadRequest, Fixture("error-400-unknown-property.json")));
        using var driver = Driver(api, new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.Zero));
        Assert.That(async () => await driver.ReadAsync(CancellationToken.None),
            Throws.InstanceOf<IOException>().With.Message.Contains("PSE answered HTTP 400").And.Message.Contains("doba"));
    }
}
