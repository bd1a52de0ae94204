using CsCheck;
using EnergyHub.TestSupport;

namespace EnergyHub.Plugins.Amber.Tests;

/// <summary>Whatever Amber (or something pretending to be it) sends, the parser returns prices or a FormatException.</summary>
public sealed class AmberPayloadFuzzTests
{
    [Test]
    public void Any_payload_parses_or_is_a_format_error()
    {
        HostileJson.For("type", "channelType", "endTime", "startTime", "duration", "perKwh", "spotPerKwh", "renewables", "descriptor", "spikeStatus", "estimate")
            .Sample(json =>
            {
                try
                {
                    var prices = AmberPrices.Parse(json, []);
                    Assert.That(prices.Intervals.All(i => i.Start < i.End && double.IsFinite(i.ImportPerKwh)), Is.True, json);
                }
                catch (FormatException)
                {
                }
            }, iter: 5000);
    }

    [TestCase("0001-01-01T00:00:00Z", 30)]
    [TestCase("2025-11-12T01:00:00Z", 2_000_000_000)]
    [TestCase("2025-11-12T01:00:00Z", -30)]
    public void An_interval_that_would_start_outside_the_calendar_or_after_its_end_is_a_format_error(string end, int minutes) =>
        Assert.That(() => AmberPrices.Parse(
                $$"""[{"type":"CurrentInterval","channelType":"general","endTime":"{{end}}","duration":{{minutes}},"perKwh":10}]""", []),
            Throws.InstanceOf<FormatException>());
}
