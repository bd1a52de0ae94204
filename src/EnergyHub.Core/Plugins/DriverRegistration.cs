using EnergyHub.Devices;
using EnergyHub.Options;
using EnergyHub.Plugins;
using EnergyHub.Services;

namespace EnergyHub.Core.Plugins;

/// <summary>A device driver a plugin registered.</summary>
/// <param name="Name">The name <c>Driver = ...</c> uses.</param>
/// <param name="OptionsType">The options class its section binds to.</param>
/// <param name="DeviceType">The device class; its interfaces are the roles it plays.</param>
/// <param name="Plugin">The plugin that registered it.</param>
/// <param name="Create">Builds a device from bound options.</param>
public sealed record DriverRegistration(
    string Name,
    Type OptionsType,
    Type DeviceType,
    string Plugin,
    Func<DeviceOptions, DeviceContext, IDevice> Create)
{
    /// <summary>The SDK contracts the device implements, e.g. "IInverter, IExportLimiter".</summary>
    public string Roles => string.Join(", ", DeviceType.GetInterfaces()
        .Where(i => i.Assembly == typeof(IDevice).Assembly && i != typeof(IDevice))
        .Select(i => i.Name)
        .Order());

    /// <summary>False only for drivers whose device class is marked <see cref="SimulatedAttribute"/>.</summary>
    public bool TouchesOutsideWorld => !DeviceType.IsDefined(typeof(SimulatedAttribute), inherit: true);
}

/// <summary>A service a plugin (or the built-in services) registered.</summary>
/// <param name="Name">The name <c>[Services]</c> switches on.</param>
/// <param name="OptionsType">The options class its section binds to.</param>
/// <param name="Plugin">The plugin that registered it.</param>
/// <param name="Create">Builds a service instance from bound options.</param>
public sealed record ServiceRegistration(
    string Name,
    Type OptionsType,
    string Plugin,
    Func<ServiceOptions, ServiceContext, IService> Create);
