namespace EnergyHub.Devices;

/// <summary>A battery whose readings fill <see cref="Readings.DeviceReading.Battery"/> (+ charging, − discharging).</summary>
public interface IBattery : IDevice
{
    /// <summary>Usable capacity, in Wh, when known.</summary>
    double? CapacityWh { get; }

    /// <summary>Most the battery charges with, W (AC side), when known.</summary>
    double? MaxChargeW => null;

    /// <summary>Most the battery discharges with, W (AC side), when known.</summary>
    double? MaxDischargeW => null;

    /// <summary>Round-trip efficiency, %, when known.</summary>
    double? RoundTripEfficiencyPct => null;

    /// <summary>The lowest and highest state of charge the system allows, %, when known.</summary>
    (double MinPct, double MaxPct)? SocLimitsPct => null;
}

/// <summary>Optional capability of a battery system whose charger can be adjusted.</summary>
public interface IChargerSettings
{
    /// <summary>Sets the maximum charging current, in A. Throw <see cref="NotSupportedException"/> when the device cannot.</summary>
    Task SetMaxChargeCurrentAsync(double amps, CancellationToken cancellationToken);

    /// <summary>Allows or forbids charging the battery from the grid, up to <paramref name="targetSocPct"/> % when given.</summary>
    Task SetGridChargingAsync(bool enabled, double? targetSocPct, CancellationToken cancellationToken);

    /// <summary>Sets the charger's float voltage, in V, for the whole bank. Chargers without one throw <see cref="NotSupportedException"/>.</summary>
    Task SetFloatVoltageAsync(double volts, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this charger has no adjustable float voltage");
}
