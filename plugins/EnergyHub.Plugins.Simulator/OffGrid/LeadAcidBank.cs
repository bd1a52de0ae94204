namespace EnergyHub.Plugins.Simulator.OffGrid;

/// <summary>
/// A lead-acid bank, simple enough to reason about: below 80 % it accepts up to C/4 at 2.43 V per cell; above 80 %
/// its acceptance falls linearly to nothing at 100 %, and every 40 mV per cell less than 2.43 V divides it by e
/// (so at a 2.20 V float it takes almost nothing). A source weaker than the acceptance pulls the voltage down along
/// the same curve. Charge efficiency is 90 %; at rest and discharging the voltage follows 1.95 + 0.17 × SOC per cell.
/// </summary>
public sealed class LeadAcidBank(double capacityAh, int cells, double socPct)
{
    private const double ReferenceVoltsPerCell = 2.43;
    private const double VoltsPerE = 0.04;
    private const double ChargeEfficiency = 0.9;

    /// <summary>State of charge, 0–100 %.</summary>
    public double SocPct { get; private set; } = socPct;

    /// <summary>Terminal voltage after the last step, V.</summary>
    public double VoltageV { get; private set; } = cells * (1.95 + 0.17 * socPct / 100);

    /// <summary>Current after the last step, A (+ charging).</summary>
    public double CurrentA { get; private set; }

    /// <summary>Ampere-hours that went into the bank so far (before losses).</summary>
    public double ChargedAh { get; private set; }

    /// <summary>Cells in series.</summary>
    public int Cells => cells;

    /// <summary>The most the bank accepts at <paramref name="volts"/> now, A.</summary>
    public double AcceptanceA(double volts)
    {
        var fullness = SocPct <= 80 ? 1 : Math.Max(0, (100 - SocPct) / 20);
        return capacityAh / 4 * fullness * Math.Exp((volts / cells - ReferenceVoltsPerCell) / VoltsPerE);
    }

    /// <summary>
    /// Charges from a source of at most <paramref name="availableA"/> held to at most <paramref name="targetV"/>, or
    /// discharges by <paramref name="dischargeA"/>, for <paramref name="step"/>.
    /// </summary>
    public void Step(TimeSpan step, double availableA, double targetV, double dischargeA)
    {
        var hours = step.TotalHours;
        if (dischargeA > 0 || availableA <= 0)
        {
            CurrentA = -dischargeA;
            VoltageV = cells * (1.95 + 0.17 * SocPct / 100 - 0.001 * dischargeA);
            SocPct = Math.Max(0, SocPct - dischargeA * hours / capacityAh * 100);
            return;
        }
        var acceptance = AcceptanceA(targetV);
        if (availableA >= acceptance)
        {
            CurrentA = acceptance;
            VoltageV = targetV;
        }
        else
        {
            CurrentA = availableA;
            var perVolt = AcceptanceA(cells * ReferenceVoltsPerCell);
            VoltageV = perVolt <= 0 ? targetV : Math.Min(targetV, cells * (ReferenceVoltsPerCell + VoltsPerE * Math.Log(availableA / perVolt)));
        }
        ChargedAh += CurrentA * hours;
        SocPct = Math.Min(100, SocPct + CurrentA * ChargeEfficiency * hours / capacityAh * 100);
    }
}
