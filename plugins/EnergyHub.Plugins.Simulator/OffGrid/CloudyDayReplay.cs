using System.Globalization;

namespace EnergyHub.Plugins.Simulator.OffGrid;

/// <summary>What one replayed day did to the bank.</summary>
/// <param name="ChargedAh">Ampere-hours into the bank.</param>
/// <param name="MaxSocPct">Highest state of charge reached, %.</param>
/// <param name="EndSocPct">State of charge at midnight, %.</param>
/// <param name="MinutesAtAbsorption">Minutes the bank spent held at the C.V. voltage.</param>
/// <param name="FloatWrites">How often the float voltage was changed (PBFT commands).</param>
public sealed record OffGridDayReport(double ChargedAh, double MaxSocPct, double EndSocPct, double MinutesAtAbsorption, int FloatWrites);

/// <summary>
/// An off-grid day on a 48 V, 400 Ah flooded bank behind an Axpert-like charger (C.V. 58.4 V, float 52.8 V, 60 A
/// maximum, re-charge 48 V), driven by the measured PV and load of the cloudiest day in the EMHASS data set
/// (2022-05-08, half-hourly, interpolated to 10-second steps). PV beyond the load charges the bank; load beyond the
/// PV discharges it.
/// </summary>
public static class CloudyDayReplay
{
    /// <summary>The sample step.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    /// <summary>Midnight at the start of the replayed day.</summary>
    public static readonly DateTimeOffset Start = new(2022, 5, 8, 0, 0, 0, TimeSpan.FromHours(2));

    /// <summary>
    /// Replays the day from <paramref name="startSocPct"/>. After every step <paramref name="floatVoltage"/> sees the
    /// time and the bank and may return a new float voltage (a PBFT write), or null to leave it.
    /// </summary>
    public static OffGridDayReport Run(double startSocPct, Func<DateTimeOffset, LeadAcidBank, double?>? floatVoltage = null)
    {
        var (pv, load) = HalfHours();
        var bank = new LeadAcidBank(400, 24, startSocPct);
        var charger = FirmwareCharger.Axpert48V();
        var emulator = new Pi30Emulator(bank, charger);
        double maxSoc = startSocPct, atAbsorption = 0;
        var writes = 0;
        for (var t = TimeSpan.Zero; t < TimeSpan.FromDays(1); t += Step)
        {
            emulator.Advance(Step, Interpolate(pv, t), Interpolate(load, t));
            maxSoc = Math.Max(maxSoc, bank.SocPct);
            if (bank.CurrentA > 0 && bank.VoltageV >= charger.CvVoltageV - 0.05)
            {
                atAbsorption += Step.TotalMinutes;
            }
            if (floatVoltage?.Invoke(Start + t + Step, bank) is { } newFloat && Math.Abs(newFloat - charger.FloatVoltageV) > 0.01)
            {
                charger.FloatVoltageV = newFloat;
                writes++;
            }
        }
        return new OffGridDayReport(bank.ChargedAh, maxSoc, bank.SocPct, atAbsorption, writes);
    }

    private static double Interpolate(double[] halfHours, TimeSpan t)
    {
        var position = t.TotalMinutes / 30;
        var i = (int)position;
        var next = Math.Min(i + 1, halfHours.Length - 1);
        return halfHours[i] + (halfHours[next] - halfHours[i]) * (position - i);
    }

    private static (double[] Pv, double[] Load) HalfHours()
    {
        using var stream = typeof(CloudyDayReplay).Assembly.GetManifestResourceStream("emhass-pv-load-30min-2022-05-08days.csv")!;
        using var reader = new StreamReader(stream);
        var rows = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split(','))
            .Where(cells => DateTimeOffset.Parse(cells[0], CultureInfo.InvariantCulture) is var at && at >= Start && at < Start.AddDays(1))
            .ToList();
        double Column(string[] cells, int index) => Math.Max(0, double.Parse(cells[index], CultureInfo.InvariantCulture));
        return (rows.Select(c => Column(c, 1)).ToArray(), rows.Select(c => Column(c, 2)).ToArray());
    }
}
