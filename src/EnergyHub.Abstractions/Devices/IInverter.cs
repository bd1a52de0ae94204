namespace EnergyHub.Devices;

/// <summary>A PV inverter whose readings fill <see cref="Readings.DeviceReading.Inverter"/>.</summary>
public interface IInverter : IDevice
{
    /// <summary>Rated AC output, in W; 100 % of an active-power limit.</summary>
    double RatedPowerW { get; }
}

/// <summary>The ability to limit an inverter's AC output (what it produces, whatever the house and battery take).</summary>
public interface IActivePowerLimiter
{
    /// <summary>Limits AC output to <paramref name="percent"/> of <see cref="IInverter.RatedPowerW"/> (0–100).</summary>
    Task SetActivePowerLimitAsync(double percent, CancellationToken cancellationToken);
}

/// <summary>The ability to cap the power exported at the grid connection itself (what the house and battery do not take).</summary>
public interface IExportLimiter
{
    /// <summary>Caps export at the grid connection to <paramref name="watts"/> W (0 = zero export).</summary>
    Task SetExportLimitAsync(double watts, CancellationToken cancellationToken);
}
