namespace EnergyHub.Plugins.Simulator.OffGrid;

/// <summary>
/// The Axpert firmware's charger as owners describe it: bulk at up to the maximum current until the C.V. voltage,
/// then absorption, which it leaves for float as soon as the charge current is below a fifth of the maximum charge
/// current — on a cloudy day that is short sun, not a full bank. Float holds the float voltage (PBFT) until the
/// voltage falls below the re-charge voltage.
/// </summary>
public sealed class FirmwareCharger(double cvVoltageV, double floatVoltageV, double maxChargeCurrentA, double reChargeVoltageV)
{
    /// <summary>A 48 V Axpert's factory settings: C.V. 58.4 V, float 52.8 V, 60 A maximum, re-charge at 48 V.</summary>
    public static FirmwareCharger Axpert48V() => new(58.4, 52.8, 60, 48.0);

    /// <summary>The firmware's charge stages.</summary>
    public enum Stage
    {
        /// <summary>Constant current towards the C.V. voltage.</summary>
        Bulk,

        /// <summary>Holding the C.V. voltage.</summary>
        Absorption,

        /// <summary>Holding the float voltage.</summary>
        Float,
    }

    /// <summary>The C.V. (bulk/absorption) voltage, V (what PCVV sets).</summary>
    public double CvVoltageV { get; set; } = cvVoltageV;

    /// <summary>The current stage.</summary>
    public Stage Current { get; private set; } = Stage.Bulk;

    /// <summary>The float voltage (what PBFT sets), V.</summary>
    public double FloatVoltageV { get; set; } = floatVoltageV;

    /// <summary>The voltage the charger holds the bank at in this stage, V.</summary>
    public double TargetV => Current == Stage.Float ? FloatVoltageV : CvVoltageV;

    /// <summary>The most current the charger gives from <paramref name="availableA"/>, A.</summary>
    public double Limit(double availableA) => Math.Min(availableA, maxChargeCurrentA);

    /// <summary>Moves the stage after the bank has taken one step.</summary>
    public void Observe(LeadAcidBank bank)
    {
        Current = Current switch
        {
            Stage.Bulk when bank.VoltageV >= CvVoltageV - 0.05 => Stage.Absorption,
            Stage.Absorption when bank.CurrentA < maxChargeCurrentA / 5 => Stage.Float,
            Stage.Float when bank.VoltageV < reChargeVoltageV => Stage.Bulk,
            _ => Current,
        };
    }
}
