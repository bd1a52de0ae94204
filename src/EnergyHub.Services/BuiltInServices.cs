using EnergyHub.Core.Mqtt;
using EnergyHub.Plugins;
using EnergyHub.Services.AxpertCharger;
using EnergyHub.Services.EvCharging;
using EnergyHub.Services.ExportGuard;
using EnergyHub.Services.ReadingLogger;
using EnergyHub.Services.SurplusDistributor;

namespace EnergyHub.Services;

/// <summary>Registers the services that ship with EnergyHub, exactly as a third-party plugin would.</summary>
public sealed class BuiltInServices : IPlugin
{
    public void Register(IPluginRegistry registry)
    {
        registry.AddService<ReadingLoggerOptions>(ReadingLoggerService.ServiceName,
            (options, context) => new ReadingLoggerService(options, context.Logger));
        registry.AddService<ExportGuardOptions>(ExportGuardService.ServiceName,
            (options, context) => new ExportGuardService(options, context.Logger, context.Time));
        registry.AddService<AxpertChargerOptions>(AxpertChargerService.ServiceName,
            (options, context) => new AxpertChargerService(options, context.Logger));
        registry.AddService<MqttExporterOptions>(MqttExporterService.ServiceName, MqttExporterService.Create);
        registry.AddService<EvChargingOptions>(EvChargingService.ServiceName, (options, context) => new EvChargingService(options, context.Logger,
            context.Shared.TryGet<IServiceStateStore>(IServiceStateStore.SharedKey, out var state) ? state : null, context.Time));
        registry.AddService<BatteryScheduler.BatterySchedulerOptions>(BatteryScheduler.BatterySchedulerService.ServiceName, (options, context) =>
            new BatteryScheduler.BatterySchedulerService(options, context.Logger, context.Time,
                context.Shared.TryGet<IServiceStateStore>(IServiceStateStore.SharedKey, out var history) ? history : null));
        registry.AddService<Notifier.NotifierOptions>(Notifier.NotifierService.ServiceName, (options, context) =>
            new Notifier.NotifierService(options, Protocols.Http.PluginHttp.Create(context.Services, Notifier.NotifierService.ServiceName), context.Logger));
        registry.AddService<SurplusDistributorOptions>(SurplusDistributorService.ServiceName,
            (options, context) => new SurplusDistributorService(options, context.Time, context.Logger,
                context.Shared.TryGet<IServiceStateStore>(IServiceStateStore.SharedKey, out var kept) ? kept : null));
    }
}
