using EnergyHub.Readings;

namespace EnergyHub.Plugins.Amber.Tests;

public sealed class AmberPricesTests
{
    private static PriceSeries Parse(string json, List<string>? notes = null) => AmberPrices.Parse(json, notes ?? []);

    [Test]
    public void Feed_in_is_flipped_to_what_the_owner_is_paid_in_the_recorded_response()
    {
        var series = Parse(FakeApi.Fixture("prices-current.json"));
        var current = series.At(DateTimeOffset.Parse("2025-09-07T10:02:00Z", System.Globalization.CultureInfo.InvariantCulture))!;

        Assert.Multiple(() =>
        {
            Assert.That(series.Currency, Is.EqualTo("AUD"));
            Assert.That(current.Start, Is.EqualTo(DateTimeOffset.Parse("2025-09-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture)), "start = end - duration, not the :01 second");
            Assert.That(current.ImportPerKwh, Is.EqualTo(0.3184).Within(1e-9));
            Assert.That(current.FeedInPerKwh, Is.EqualTo(0.0429694).Within(1e-9), "raw feed-in perKwh -4.29694 c = paid 4.3 c");
            Assert.That(current.IsForecast, Is.True, "a current interval whose price is still an estimate");
            Assert.That(current.Descriptor, Is.EqualTo("neutral"));
            Assert.That(current.SpotPerKwh, Is.EqualTo(0.0438).Within(1e-9));
            Assert.That(series.Intervals[0].IsForecast, Is.False, "the actual interval is settled");
        });
    }

    [TestCase(-8.30172, 0.0830172)]
    [TestCase(4.5, -0.045)]
    public void A_positive_raw_feed_in_means_the_owner_pays_to_export(double rawCents, double paid)
    {
        var json = $$"""
            [{"type":"CurrentInterval","duration":5,"endTime":"2025-09-07T10:05:00Z","perKwh":20,"channelType":"general"},
             {"type":"CurrentInterval","duration":5,"endTime":"2025-09-07T10:05:00Z","perKwh":{{rawCents.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"channelType":"feedIn"}]
            """;
        Assert.That(Parse(json).Intervals.Single().FeedInPerKwh, Is.EqualTo(paid).Within(1e-12));
    }

    [Test]
    public void Five_and_thirty_minute_intervals_mix_and_an_overlapping_long_one_is_dropped()
    {
        static string Interval(string type, int duration, string end, double price) =>
            $$"""{"type":"{{type}}","duration":{{duration}},"endTime":"{{end}}","perKwh":{{price}},"channelType":"general"}""";
        var json = "[" + string.Join(",",
            Interval("CurrentInterval", 5, "2025-10-05T11:05:00Z", 10),
            Interval("ForecastInterval", 5, "2025-10-05T11:10:00Z", 11),
            Interval("ForecastInterval", 30, "2025-10-05T11:30:00Z", 99),   // 11:00-11:30 overlaps the 5-minute ones
            Interval("ForecastInterval", 20, "2025-10-05T11:30:00Z", 12),   // same end as the 30-minute one: later record wins
            Interval("ForecastInterval", 30, "2025-10-05T12:00:00Z", 13),
            Interval("SomeFutureType", 30, "2025-10-05T12:30:00Z", 14)) + "]";
        var notes = new List<string>();

        var series = Parse(json, notes);

        Assert.That(series.Intervals.Select(i => (i.Duration.TotalMinutes, i.ImportPerKwh)),
            Is.EqualTo(new[] { (5.0, 0.10), (5.0, 0.11), (20.0, 0.12), (30.0, 0.13) }));
        Assert.That(notes, Has.Some.Contains("no feed-in channel"));
    }

    [TestCase("{\"error\":\"nope\"}", "expected a JSON array")]
    [TestCase("[{\"type\":\"CurrentInterval\",\"channelType\":\"general\",\"endTime\":\"2025-09-07T10:05:00Z\"}]", "lacks duration or perKwh")]
    [TestCase("<html>502 Bad Gateway</html>", "not JSON")]
    public void Malformed_responses_are_format_errors(string json, string message) =>
        Assert.That(() => Parse(json), Throws.InstanceOf<FormatException>().With.Message.Contains(message));
}
