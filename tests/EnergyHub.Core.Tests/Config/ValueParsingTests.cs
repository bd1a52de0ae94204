using EnergyHub.Core.Config;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Tests.Config;

public sealed class ValueParsingTests
{
    [TestCase("500ms", 0.5)]
    [TestCase("5s", 5)]
    [TestCase("5", 5)]
    [TestCase("1.5m", 90)]
    [TestCase("2h", 7200)]
    [TestCase("1d", 86400)]
    [TestCase("00:00:30", 30)]
    [TestCase(" 10 S ", 10)]
    public void Durations_parse(string text, double seconds)
    {
        Assert.That(Durations.TryParse(text, out var value), Is.True);
        Assert.That(value.TotalSeconds, Is.EqualTo(seconds));
    }

    [TestCase("")]
    [TestCase("-5s")]
    [TestCase("5 parsecs")]
    [TestCase("fast")]
    [TestCase("9223372036854775808")]
    [TestCase("1e300d")]
    public void Bad_durations_are_rejected(string text) => Assert.That(Durations.TryParse(text, out _), Is.False);

    [TestCase(0.25, "250ms")]
    [TestCase(5, "5s")]
    [TestCase(120, "2m")]
    [TestCase(86400, "1d")]
    public void Durations_print_as_written(double seconds, string text) =>
        Assert.That(Durations.Format(TimeSpan.FromSeconds(seconds)), Is.EqualTo(text));

    [TestCase("yes", true)]
    [TestCase("On", true)]
    [TestCase("0", false)]
    [TestCase("FALSE", false)]
    public void Booleans_accept_the_usual_words(string text, bool expected)
    {
        Assert.That(ValueParser.TryParse(text, typeof(bool), out var value, out _), Is.True);
        Assert.That(value, Is.EqualTo(expected));
    }

    [Test]
    public void Enums_are_case_insensitive_and_list_their_names_when_wrong()
    {
        Assert.That(ValueParser.TryParse("warning", typeof(LogLevel), out var level, out _), Is.True);
        Assert.That(level, Is.EqualTo(LogLevel.Warning));
        Assert.That(ValueParser.TryParse("3", typeof(LogLevel), out _, out var allowed), Is.False);
        Assert.That(allowed, Does.StartWith("one of Trace, Debug, Information"));
        Assert.That(ValueParser.TryParse("NONE", typeof(LogLevel), out var none, out _) && (LogLevel)none! == LogLevel.None, Is.True);
        Assert.That(ValueParser.TryParse("PV_ONLY", typeof(System.IO.FileAccess), out _, out _), Is.False);
        Assert.That(ValueParser.TryParse("READ_WRITE", typeof(System.IO.FileAccess), out var access, out _) && (System.IO.FileAccess)access! == System.IO.FileAccess.ReadWrite,
            Is.True, "underscores do not matter: pv-control's PV_ONLY is PvOnly");
    }

    [Test]
    public void Numbers_use_the_invariant_decimal_point_and_reject_infinity()
    {
        Assert.That(ValueParser.TryParse("-12.5", typeof(double), out var value, out _), Is.True);
        Assert.That(value, Is.EqualTo(-12.5));
        Assert.That(ValueParser.TryParse("Infinity", typeof(double), out _, out _), Is.False);
        Assert.That(ValueParser.TryParse("300", typeof(byte), out _, out _), Is.False);
    }

    [Test]
    public void Lists_split_on_commas_and_drop_blanks() =>
        Assert.That(ValueParser.TryParse(" a, b ,,c ", typeof(IReadOnlyList<string>), out var value, out _) ? value : null,
            Is.EqualTo(new[] { "a", "b", "c" }));

    [TestCase("PollIntervall", "PollInterval")]
    [TestCase("drvier", "Driver")]
    [TestCase("Completely", null)]
    public void The_nearest_name_is_suggested_only_when_close(string typo, string? expected) =>
        Assert.That(NearestName.Find(typo, ["Driver", "PollInterval", "Timeout"]), Is.EqualTo(expected));
}
