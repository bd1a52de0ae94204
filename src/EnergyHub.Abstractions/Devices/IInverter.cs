namespace EnergyHub.Devices;

/// <summary>A PV inverter whose readings fill <see cref="Readings.DeviceReading.Inverter"/>.</summary>
public interface IInverter : IDevice
{
    /// <summary>Rated AC output, in W; 100 % of the active-power limit.</summary>
    double RatedPowerW { get; }

    /// <summary>Limits AC output to <paramref name="percent"/> of <see cref="RatedPowerW"/> (0–100).</summary>
    Task SetActivePowerLimitAsync(double percent, CancellationToken cancellationToken);
}

/// <summary>Optional capability of an inverter that can cap the power exported at the grid connection itself.</summary>
public interface IExportLimiter
{
    /// <summary>Caps export at the grid connection to <paramref name="watts"/> W (0 = zero export).</summary>
    Task SetExportLimitAsync(double watts, CancellationToken cancellationToken);
}
