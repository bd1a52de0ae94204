using EnergyHub.Services.SurplusDistributor;

namespace EnergyHub.Services.Tests;

/// <summary>The battery reservation: es-ESS's expression syntax without eval, or a point table, clamped.</summary>
public sealed class ReservationRuleTests
{
    [TestCase(0, 250 + 5750 - 57.5)]
    [TestCase(50, 250 + 5750 - 115)]
    [TestCase(90, 250 + 5750 - 575)]
    [TestCase(99, 250)]
    [TestCase(100, 250)]
    public void Es_ess_sample_expression_gives_what_python_gives(double soc, double expected)
    {
        var rule = ReservationRule.Parse("(5750/(min(SOC,99)-100)+5750)+250");
        Assert.That(rule.At(soc, 10_000), Is.EqualTo(expected).Within(1e-9));
    }

    [Test]
    public void Operators_bind_as_in_arithmetic_and_names_are_case_blind()
    {
        Assert.That(ReservationRule.Parse("2 + 3 * 4 - -1").At(0, 1e9), Is.EqualTo(15));
        Assert.That(ReservationRule.Parse("max(100, soc × 10) ÷ 2").At(50, 1e9), Is.EqualTo(250));
    }

    [Test]
    public void A_point_table_interpolates_between_points_and_is_flat_beyond_them()
    {
        var rule = ReservationRule.Parse("20:3000, 80:1500, 95:250, 100:0");
        Assert.That(new[] { 0, 20, 50, 80, 87.5, 100 }.Select(soc => rule.At(soc, 10_000)), Is.EqualTo(new[] { 3000, 3000, 2250, 1500, 875, 0 }));
    }

    [Test]
    public void The_result_is_never_negative_never_more_than_the_battery_takes_and_a_division_by_zero_serves_the_battery()
    {
        Assert.That(ReservationRule.Parse("1000 - SOC * 100").At(50, 5000), Is.Zero);
        Assert.That(ReservationRule.Parse("3000").At(95, 800), Is.EqualTo(800), "a tapering battery takes 800 W: reserving more would waste it");
        Assert.That(ReservationRule.Parse("5750/(SOC-100)").At(100, 1200), Is.EqualTo(1200));
    }

    [TestCase("", "empty")]
    [TestCase("__import__('os')", "unexpected '_' at position 1")]
    [TestCase("SOC * (2", "')' is missing at the end of 'SOC * (2'")]
    [TestCase("SOC *", "'SOC *' ends too early")]
    [TestCase("pow(SOC, 2)", "'pow' is not known")]
    [TestCase("1 2", "unexpected '2' at position 3")]
    [TestCase("0:3000, 80:x", "'80:x' is not SOC:W")]
    [TestCase("80:1500, 20:3000", "must rise")]
    [TestCase("0:100, 120:0", "0 to 100")]
    public void A_bad_rule_says_what_and_where(string text, string message)
    {
        Assert.That(() => ReservationRule.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains(message));
    }
}
