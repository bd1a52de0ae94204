namespace EnergyHub.Plugins.Pse.Tests;

/// <summary>Polish distribution tariffs by local time (Europe/Warsaw), with the Polish holiday calendar.</summary>
public sealed class PolishTariffTests
{
    // Local Warsaw time on a summer working day (+02:00), a winter working day (+01:00) and a holiday.
    private static DateTimeOffset Summer(int hour) => new(2026, 6, 16, hour, 0, 0, TimeSpan.FromHours(2));
    private static DateTimeOffset Winter(int hour) => new(2026, 1, 13, hour, 0, 0, TimeSpan.FromHours(1));

    [TestCase(PolishTariff.G11, 3, 0.3125)]
    [TestCase(PolishTariff.G12, 6, 0.0749, TestName = "G12 06:00 off-peak")]
    [TestCase(PolishTariff.G12, 7, 0.3566, TestName = "G12 07:00 peak")]
    [TestCase(PolishTariff.G12, 13, 0.0749, TestName = "G12 13:00 the midday off-peak window")]
    [TestCase(PolishTariff.G12, 15, 0.3566, TestName = "G12 15:00 peak again")]
    [TestCase(PolishTariff.G12, 22, 0.0749, TestName = "G12 22:00 off-peak")]
    [TestCase(PolishTariff.G12w, 6, 0.3566, TestName = "G12w 06:00 peak on a working day")]
    [TestCase(PolishTariff.G12as, 12, 0.3125, TestName = "G12as 12:00 peak")]
    [TestCase(PolishTariff.G12as, 13, 0.0312, TestName = "G12as 13:00 off-peak")]
    [TestCase(PolishTariff.G13s, 8, 0.290, TestName = "G13s summer 08:00 peak")]
    [TestCase(PolishTariff.G13s, 12, 0.100, TestName = "G13s summer 12:00 midday")]
    [TestCase(PolishTariff.G13s, 18, 0.290, TestName = "G13s summer 18:00 peak")]
    [TestCase(PolishTariff.G13s, 23, 0.110, TestName = "G13s summer 23:00 night")]
    [TestCase(PolishTariff.G14dynamic, 12, 0.0578, TestName = "G14dynamic without Kompas data: the normal rate")]
    public void A_summer_working_day(PolishTariff tariff, int hour, double rate) =>
        Assert.That(PolishTariffs.DistributionPerKwh(tariff, Summer(hour)), Is.EqualTo(rate));

    [TestCase(9, 0.340)]
    [TestCase(12, 0.200)]
    [TestCase(16, 0.340)]
    [TestCase(21, 0.110)]
    public void G13s_in_winter(int hour, double rate) => Assert.That(PolishTariffs.DistributionPerKwh(PolishTariff.G13s, Winter(hour)), Is.EqualTo(rate));

    [Test]
    public void Weekends_and_holidays_are_off_peak_in_g12w_and_g13s_but_not_in_g12()
    {
        var corpusChristi = new DateTimeOffset(2026, 6, 4, 8, 0, 0, TimeSpan.FromHours(2)); // Easter 2026-04-05 + 60 days
        var saturday = new DateTimeOffset(2026, 6, 13, 8, 0, 0, TimeSpan.FromHours(2));
        Assert.That(PolishTariffs.DistributionPerKwh(PolishTariff.G13s, corpusChristi), Is.EqualTo(0.110));
        Assert.That(PolishTariffs.DistributionPerKwh(PolishTariff.G12w, saturday), Is.EqualTo(0.0749));
        Assert.That(PolishTariffs.DistributionPerKwh(PolishTariff.G12, saturday), Is.EqualTo(0.3566));
    }

    [TestCase(2024, 3, 31)]
    [TestCase(2025, 4, 20)]
    [TestCase(2026, 4, 5)]
    [TestCase(2027, 3, 28)]
    public void Easter_is_where_the_calendar_has_it(int year, int month, int day) =>
        Assert.That(PolishTariffs.EasterSunday(year), Is.EqualTo(new DateOnly(year, month, day)));

    [TestCase("2026-05-03", true, TestName = "3 May, Constitution Day")]
    [TestCase("2026-05-24", true, TestName = "Pentecost Sunday 2026")]
    [TestCase("2026-04-06", true, TestName = "Easter Monday 2026")]
    [TestCase("2024-12-24", false, TestName = "24 December 2024: a working day")]
    [TestCase("2025-12-24", true, TestName = "24 December 2025: a holiday from 2025")]
    [TestCase("2026-06-05", false, TestName = "the Friday after Corpus Christi: a working day")]
    public void Holidays(string date, bool holiday) => Assert.That(PolishTariffs.IsHoliday(DateOnly.Parse(date)), Is.EqualTo(holiday));

    [Test]
    public void The_import_price_adds_the_tariff_s_rate_at_each_hour_and_the_system_charge()
    {
        var date = new DateOnly(2026, 6, 16);
        var (import, _) = PseRows.Parse(PseDays.Page(date, "csdac_pln", _ => 400), "csdac_pln");
        var series = PsePrices.Build(import, null, new PseOptions { Driver = "pse", Tariff = PolishTariff.G12, SystemChargePerKwh = 0.0892, DistributionPerKwh = 9 }, date);
        var at = (int hour) => series.At(Summer(hour))!.ImportPerKwh;
        Assert.That((at(3), at(8)), Is.EqualTo((0.4 + 0.0749 + 0.0892, 0.4 + 0.3566 + 0.0892)).Within(1e-12), "DistributionPerKwh is not added with a tariff");
    }
}
