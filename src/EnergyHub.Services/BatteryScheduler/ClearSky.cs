namespace EnergyHub.Services.BatteryScheduler;

/// <summary>
/// What a PV array gives under a clear sky, from where the sun stands: the forecast's start before the site has a history
/// of its own. The sun's elevation comes from the date, the time and the place (declination and equation of time, to a
/// few minutes); the irradiance on the ground from Haurwitz's clear-sky model; the array turns 80 % of it into AC power
/// per kWp. An estimate of the day's shape and size, not of the weather.
/// </summary>
/// <param name="LatitudeDeg">North +.</param>
/// <param name="LongitudeDeg">East +.</param>
/// <param name="Kwp">The array's peak power, kW.</param>
public sealed record ClearSky(double LatitudeDeg, double LongitudeDeg, double Kwp)
{
    private const double AcPerKwpAtStandardSun = 0.8;

    /// <summary>The array's AC power at <paramref name="at"/>, W (0 while the sun is down).</summary>
    public double PvW(DateTimeOffset at)
    {
        var cosZenith = CosZenith(at);
        if (cosZenith <= 0.01)
        {
            return 0;
        }
        var irradiance = 1098 * cosZenith * Math.Exp(-0.057 / cosZenith);
        return Kwp * AcPerKwpAtStandardSun * irradiance;
    }

    /// <summary>The cosine of the sun's zenith angle at <paramref name="at"/>: its elevation's sine, ≤ 0 below the horizon.</summary>
    public double CosZenith(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var gamma = 2 * Math.PI / 365 * (utc.DayOfYear - 1 + (utc.TimeOfDay.TotalHours - 12) / 24);
        var declination = 0.006918 - 0.399912 * Math.Cos(gamma) + 0.070257 * Math.Sin(gamma) - 0.006758 * Math.Cos(2 * gamma)
            + 0.000907 * Math.Sin(2 * gamma) - 0.002697 * Math.Cos(3 * gamma) + 0.00148 * Math.Sin(3 * gamma);
        var equationOfTimeMinutes = 229.18 * (0.000075 + 0.001868 * Math.Cos(gamma) - 0.032077 * Math.Sin(gamma) - 0.014615 * Math.Cos(2 * gamma)
            - 0.040849 * Math.Sin(2 * gamma));
        var solarMinutes = utc.TimeOfDay.TotalMinutes + equationOfTimeMinutes + 4 * LongitudeDeg;
        var hourAngle = (solarMinutes / 4 - 180) * Math.PI / 180;
        var latitude = LatitudeDeg * Math.PI / 180;
        return Math.Sin(latitude) * Math.Sin(declination) + Math.Cos(latitude) * Math.Cos(declination) * Math.Cos(hourAngle);
    }
}
