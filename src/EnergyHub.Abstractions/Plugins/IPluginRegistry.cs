using EnergyHub.Devices;
using EnergyHub.Options;
using EnergyHub.Services;

namespace EnergyHub.Plugins;

/// <summary>Where a plugin registers what it provides, under the names config.ini uses.</summary>
public interface IPluginRegistry
{
    /// <summary>
    /// Registers a device driver: <c>Driver = <paramref name="driver"/></c> in a <c>[Device:&lt;id&gt;]</c> section
    /// binds that section to <typeparamref name="TOptions"/> and calls <paramref name="factory"/>.
    /// The factory must not do I/O; connect lazily in <see cref="IDevice.ReadAsync"/>.
    /// </summary>
    /// <typeparam name="TOptions">The driver's options; its public properties are the section's keys.</typeparam>
    /// <typeparam name="TDevice">The device type, which declares the roles (<see cref="IInverter"/>, ...) it plays.</typeparam>
    /// <param name="driver">Lower-case driver name, unique across all plugins, e.g. <c>goodwe</c>.</param>
    /// <param name="factory">Builds one device from validated options.</param>
    void AddDevice<TOptions, TDevice>(string driver, Func<TOptions, DeviceContext, TDevice> factory)
        where TOptions : DeviceOptions, new()
        where TDevice : class, IDevice;

    /// <summary>
    /// Registers a service: <c><paramref name="name"/> = true</c> in <c>[Services]</c> binds the section
    /// <c>[<paramref name="name"/>]</c> to <typeparamref name="TOptions"/> and calls <paramref name="factory"/>.
    /// The factory is called again whenever a failed service is restarted.
    /// </summary>
    /// <typeparam name="TOptions">The service's options; its public properties are the section's keys.</typeparam>
    /// <param name="name">The service name, e.g. <c>ExportGuard</c>, unique across all plugins.</param>
    /// <param name="factory">Builds one service instance from validated options.</param>
    void AddService<TOptions>(string name, Func<TOptions, ServiceContext, IService> factory)
        where TOptions : ServiceOptions, new();
}
