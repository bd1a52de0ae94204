using EnergyHub.Readings;

namespace EnergyHub.Services.ExportGuard;

/// <summary>
/// The inverter's recent outputs by sample time. The house load is the balance of inverter, grid and battery, and
/// the inverter is read more often than the (cloud) battery and meter; taking the inverter sample nearest the meter's
/// instant keeps the balance from mixing instants, which would show a limit change as a jump in the load.
/// </summary>
public sealed class InverterHistory
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(2);
    private readonly List<(DateTimeOffset Time, double W)> _samples = [];

    /// <summary>Adds <paramref name="latest"/> and returns the output nearest <paramref name="instant"/> (the latest when it is unknown), W.</summary>
    public double? At(DateTimeOffset? instant, DeviceReading? latest)
    {
        if (latest is { Inverter: { } inverter } && (_samples.Count == 0 || _samples[^1].Time < latest.Timestamp))
        {
            _samples.Add((latest.Timestamp, inverter.AcPowerW));
            _samples.RemoveAll(s => s.Time < latest.Timestamp - Keep);
        }
        if (_samples.Count == 0)
        {
            return null;
        }
        return instant is { } at ? _samples.MinBy(s => (s.Time - at).Duration()).W : _samples[^1].W;
    }
}
