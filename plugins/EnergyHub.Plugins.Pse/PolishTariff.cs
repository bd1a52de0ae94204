namespace EnergyHub.Plugins.Pse;

/// <summary>A Polish household distribution tariff (taryfa dystrybucyjna).</summary>
public enum PolishTariff
{
    /// <summary>No tariff: <c>DistributionPerKwh</c> applies at every hour.</summary>
    None,
    /// <summary>One zone, flat.</summary>
    G11,
    /// <summary>Two zones: peak 07:00–13:00 and 15:00–22:00, off-peak otherwise.</summary>
    G12,
    /// <summary>Two zones: peak 06:00–22:00 on working days, off-peak at night, at weekends and on public holidays.</summary>
    G12w,
    /// <summary>Two zones: peak 07:00–13:00, off-peak otherwise.</summary>
    G12as,
    /// <summary>Three seasonal zones on working days (summer 1 April – 30 September), off-peak at weekends and on public holidays.</summary>
    G13s,
    /// <summary>Dynamic by PSE's Kompas usage code; without Kompas data its "normal" rate.</summary>
    G14dynamic,
}

/// <summary>
/// The distribution component of a Polish household's price, PLN/kWh net, by tariff and local time (Europe/Warsaw),
/// with the rates of the coordinator EnergyHub replaces (seed §4.2, its shipped config; a DSO's own rates differ a
/// little: <c>Tariff = None</c> with <c>DistributionPerKwh</c> sets a flat rate of one's own). Public holidays follow the Polish calendar
/// (statutory, including Easter, Pentecost and Corpus Christi, and 24 December from 2025).
/// </summary>
public static class PolishTariffs
{
    private static readonly TimeZoneInfo Warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");

    /// <summary>The G14dynamic rate for Kompas codes 0 (use recommended) to 3 (reduction required).</summary>
    public static IReadOnlyList<double> G14Rates { get; } = [0.0145, 0.0578, 0.4339, 2.8931];

    /// <summary>The distribution rate at <paramref name="instant"/>, PLN/kWh net; <paramref name="kompasCode"/> only for G14dynamic (null: no data, its code-1 rate).</summary>
    public static double DistributionPerKwh(PolishTariff tariff, DateTimeOffset instant, int? kompasCode = null)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Warsaw);
        var hour = local.Hour;
        var workingDay = local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsHoliday(DateOnly.FromDateTime(local.DateTime));
        return tariff switch
        {
            PolishTariff.G11 => 0.3125,
            PolishTariff.G12 => hour is >= 7 and < 22 and not (13 or 14) ? 0.3566 : 0.0749,
            PolishTariff.G12w => workingDay && hour is >= 6 and < 22 ? 0.3566 : 0.0749,
            PolishTariff.G12as => hour is >= 7 and < 13 ? 0.3125 : 0.0312,
            PolishTariff.G13s => !workingDay ? 0.110 : IsSummer(local) ? hour switch
            {
                >= 7 and < 9 or >= 17 and < 21 => 0.290,
                >= 9 and < 17 => 0.100,
                _ => 0.110,
            } : hour switch
            {
                >= 7 and < 10 or >= 15 and < 21 => 0.340,
                >= 10 and < 15 => 0.200,
                _ => 0.110,
            },
            PolishTariff.G14dynamic => kompasCode is >= 0 and <= 3 ? G14Rates[kompasCode.Value] : G14Rates[1],
            _ => 0,
        };
    }

    /// <summary>Whether <paramref name="date"/> is a Polish public holiday.</summary>
    public static bool IsHoliday(DateOnly date)
    {
        var easter = EasterSunday(date.Year);
        return (date.Month, date.Day) is (1, 1) or (1, 6) or (5, 1) or (5, 3) or (8, 15) or (11, 1) or (11, 11) or (12, 25) or (12, 26)
            || (date.Month, date.Day) == (12, 24) && date.Year >= 2025
            || date == easter || date == easter.AddDays(1) || date == easter.AddDays(49) || date == easter.AddDays(60);
    }

    /// <summary>Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm).</summary>
    public static DateOnly EasterSunday(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        var h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4, k = c % 4;
        var l = (32 + 2 * e + 2 * i - h - k) % 7;
        var m = (a + 11 * h + 22 * l) / 451;
        var month = (h + l - 7 * m + 114) / 31;
        var day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(year, month, day);
    }

    private static bool IsSummer(DateTimeOffset local) => local.Month is >= 4 and <= 9;
}
