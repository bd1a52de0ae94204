using EnergyHub.Plugins.Simulator.Site;

namespace EnergyHub.Plugins.Simulator.Tests;

public sealed class PriceFileTests
{
    private static string Write(string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("energyhub-prices-").FullName, "prices.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void Each_row_holds_until_the_next_and_comments_are_skipped()
    {
        var prices = Profiles.HalfHourlyPricesFromFile(Write("local_time,import_per_kwh,feed_in_per_kwh\n# a note\n00:00,0.30,0.05\n10:30,0.20,-0.02\n16:00,0.35,0.08\n"));

        Assert.That(prices, Has.Length.EqualTo(48));
        Assert.That(prices[0], Is.EqualTo((0.30, 0.05)));
        Assert.That(prices[20], Is.EqualTo((0.30, 0.05)), "10:00 is still the first row");
        Assert.That(prices[21], Is.EqualTo((0.20, -0.02)), "10:30");
        Assert.That(prices[47], Is.EqualTo((0.35, 0.08)), "23:30");
    }

    [TestCase("local_time,import_per_kwh,feed_in_per_kwh\n01:00,0.3,0.1\n", ":2: rows must start at 00:00")]
    [TestCase("local_time,import_per_kwh,feed_in_per_kwh\n00:00,0.3,0.1\n00:00,0.3,0.1\n", ":3: rows must start at 00:00 and go forward")]
    [TestCase("local_time,import_per_kwh,feed_in_per_kwh\n00:00,cheap,0.1\n", ":2: expected HH:mm,import_per_kwh,feed_in_per_kwh")]
    [TestCase("local_time,import_per_kwh,feed_in_per_kwh\n", "no price rows")]
    public void A_malformed_file_names_the_line_and_what_is_expected(string text, string message)
    {
        var ex = Assert.Throws<InvalidDataException>(() => Profiles.HalfHourlyPricesFromFile(Write(text)));
        Assert.That(ex!.Message, Does.Contain(message));
    }

    [Test]
    public void A_missing_file_is_named()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Profiles.HalfHourlyPricesFromFile("/nonexistent/prices.csv"));
        Assert.That(ex!.Message, Does.Contain("/nonexistent/prices.csv does not exist"));
    }
}
