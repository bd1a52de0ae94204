namespace EnergyHub.Devices;

/// <summary>
/// A source of electricity prices whose readings fill <see cref="Readings.DeviceReading.Prices"/>.
/// Feed-in prices are what the owner is paid (see <see cref="Conventions"/>).
/// </summary>
public interface IPriceSource : IDevice
{
    /// <summary>ISO 4217 code of the prices this source reports.</summary>
    string Currency { get; }
}
