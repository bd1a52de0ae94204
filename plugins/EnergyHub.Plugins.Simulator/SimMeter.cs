using EnergyHub.Devices;
using EnergyHub.Readings;

namespace EnergyHub.Plugins.Simulator;

/// <summary>
/// A three-phase meter over a synthetic clear day: PV is a sine between 06:00 and 18:00 local solar time, load is a
/// base with morning and evening peaks. A grid meter shows load − PV (+ import, − export). Deterministic for a seed.
/// </summary>
public sealed class SimMeter(string id, SimMeterOptions options, TimeProvider time) : IMeter
{
    private const double PhaseVoltageV = 230;

    private readonly Random _noise = new(options.Seed);

    public string Id { get; } = id;
    public string DisplayName => $"Simulated {Role.ToString().ToLowerInvariant()} meter";
    public MeterRole Role => options.Role;

    public ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hour = ((now.UtcDateTime.TimeOfDay.TotalHours + options.UtcOffsetHours) % 24 + 24) % 24;
        var pv = PvW(hour);
        var load = LoadW(hour);
        var power = Role switch
        {
            MeterRole.Pv => pv,
            MeterRole.Load => load,
            _ => load - pv,
        } + Gaussian() * options.NoiseW;

        var perPhase = power / 3;
        var phases = Enumerable.Range(0, 3)
            .Select(_ => new PhaseReading(PhaseVoltageV, Math.Round(perPhase / PhaseVoltageV, 3), Math.Round(perPhase, 1)))
            .ToList();
        return ValueTask.FromResult(new DeviceReading
        {
            Timestamp = now,
            Meter = new MeterReading(Math.Round(power, 1)) { FrequencyHz = 50, Phases = phases },
        });
    }

    private double PvW(double hour) => hour is > 6 and < 18 ? options.PvPeakW * Math.Sin((hour - 6) / 12 * Math.PI) : 0;

    private double LoadW(double hour) =>
        options.BaseLoadW
        + 600 * Math.Exp(-Math.Pow(hour - 7.5, 2) / 0.5)
        + 1500 * Math.Exp(-Math.Pow(hour - 19, 2) / 2);

    private double Gaussian()
    {
        var u1 = 1.0 - _noise.NextDouble();
        var u2 = _noise.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
