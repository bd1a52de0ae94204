using EnergyHub.Plugins.Simulator.Emulators;
using EnergyHub.Plugins.Simulator.Site;

namespace EnergyHub.Plugins.Simulator;

/// <summary>Registers the simulated site, its devices and the price API emulators.</summary>
public sealed class SimulatorPlugin : IPlugin
{
    public void Register(IPluginRegistry registry)
    {
        registry.AddDevice<SiteOptions, SimSiteDevice>("sim-site", SimSiteDevice.Create);
        registry.AddDevice<SimDeviceOptions, SimInverter>("sim-inverter", (o, c) => new SimInverter(c.Id, o, c));
        registry.AddDevice<SimDeviceOptions, SimGridMeter>("sim-meter", (o, c) => new SimGridMeter(c.Id, o, c));
        registry.AddDevice<SimDeviceOptions, SimBattery>("sim-battery", (o, c) => new SimBattery(c.Id, o, c));
        registry.AddDevice<SimDeviceOptions, SimPrices>("sim-prices", (o, c) => new SimPrices(c.Id, o, c));
        registry.AddDevice<SimDeviceOptions, SimWallbox>("sim-wallbox", (o, c) => new SimWallbox(c.Id, o, c));
        registry.AddDevice<SimDeviceOptions, SimRelay>("sim-relay", (o, c) => new SimRelay(c.Id, o, c));
        registry.AddService<AmberEmulatorOptions>("AmberEmulator", (options, context) => new EmulatorService(context.Name,
            () => Started(new AmberEmulator(options.ApiKey, options.Snapshot, context.Time), options.Port), context.Logger));
        registry.AddService<GoEEmulatorOptions>("GoEEmulator", (options, context) => new EmulatorService(context.Name,
            () => Started(new GoEEmulator(options.ApiVersion == 2, context.Time, options.PhaseRelay, SiteOrNull(context, options.Site)) { CarConnected = options.CarConnected }, options.Port), context.Logger));
        registry.AddService<ShellyEmulatorOptions>("ShellyEmulator", (options, context) => new EmulatorService(context.Name,
            () => ShellyEmulators(options, context), context.Logger));
        registry.AddService<PseEmulatorOptions>("PseEmulator", (options, context) => new EmulatorService(context.Name,
            () => Started(new PseEmulator(options.DataFile, options.CurrencyFactor, context.Time), options.Port), context.Logger));
        registry.AddService<GoodWeEmulatorOptions>("GoodWeEmulator", (options, context) => new EmulatorService(context.Name,
            () => new GoodWeEmulator(SimSiteDevice.Find(context.Shared, options.Site), context.Time, options.Port, options.Model), context.Logger));
        registry.AddService<AlphaEssEmulatorOptions>("AlphaEssEmulator", (options, context) => new EmulatorService(context.Name,
            () => Started(new AlphaEssEmulator(SimSiteDevice.Find(context.Shared, options.Site), options.AppId, options.AppSecret, options.MinRequestInterval, context.Time), options.Port),
            context.Logger));
        registry.AddService<AxpertEmulatorOptions>("AxpertEmulator", (options, context) =>
            new AxpertEmulatorService(options, () => SimSiteDevice.Find(context.Shared, options.Site), context.Logger));
    }

    private static SimulatedSite? SiteOrNull(ServiceContext context, string site) => site.Length == 0 ? null : SimSiteDevice.Find(context.Shared, site);

    private static IAsyncDisposable ShellyEmulators(ShellyEmulatorOptions options, ServiceContext context)
    {
        var site = SiteOrNull(context, options.Site);
        var password = options.Password.Length > 0 ? options.Password : null;
        var meter = Started(new ShellyEmulator(options.Model, context.Time, password, site) { PowerW = options.PowerW }, options.Port);
        return options.PlugPort == 0 ? meter : new EmulatorPair(meter, Started(new ShellyEmulator(ShellyModel.Plus1Pm, context.Time, password, site), options.PlugPort));
    }

    private sealed class EmulatorPair(IAsyncDisposable first, IAsyncDisposable second) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await first.DisposeAsync().ConfigureAwait(false);
            await second.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static HttpEmulator Started(HttpEmulator emulator, int port)
    {
        emulator.Start(port);
        return emulator;
    }
}
