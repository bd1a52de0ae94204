using EnergyHub.Commands;
using EnergyHub.Options;
using EnergyHub.Plugins;
using EnergyHub.Services;
using EnergyHub.Site;

namespace SeedExportGuard;

/// <summary>
/// The seed system's control law (shared/docs/seeds/algorithms.md §5.3–5.5), re-implemented as a baseline for
/// replays only — never shipped. Proportional correction with gain 1 on cloud telemetry, 0.2 smoothing of the last
/// written value, writes gated to new telemetry, and its fail-safe that passes through smoothing and gating.
/// </summary>
public sealed class SeedExportGuardPlugin : IPlugin
{
    public void Register(IPluginRegistry registry) =>
        registry.AddService<SeedOptions>("SeedExportGuard", (o, _) => new SeedGuard(o));
}

public sealed class SeedOptions : ServiceOptions
{
    [DeviceRef(typeof(EnergyHub.Devices.IInverter), Commands = [typeof(SetActivePowerLimit)])]
    public string Inverter { get; init; } = "";
    public string Battery { get; init; } = "";
    public string GridMeter { get; init; } = "";
    public string Prices { get; init; } = "";
}

public sealed class SeedGuard(SeedOptions o) : IService
{
    private double? _written;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;
    private DateTimeOffset? _lastTelemetry;
    private double _seek;

    public string Name => "SeedExportGuard";

    public async Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        var site = tick.Site;
        var rated = site.Devices[o.Inverter].Facts.RatedPowerW ?? 5000;
        var price = site.Devices[o.Prices].Reading?.Prices?.At(tick.Now);
        var priceOk = price is not null && site.Devices[o.Prices].Age < TimeSpan.FromMinutes(15);
        var costly = !priceOk || price!.FeedInPerKwh < 0;
        var battery = site.Devices[o.Battery];
        var grid = site.Devices[o.GridMeter];
        var alphaOk = battery.Age < TimeSpan.FromSeconds(30) && grid.Age < TimeSpan.FromSeconds(30) && battery.Reading is not null && grid.Reading is not null;
        double target;
        if (!costly)
        {
            target = rated;
        }
        else if (!alphaOk)
        {
            target = 0;
        }
        else
        {
            var g = grid.Reading!.Meter!.PowerW;
            var b = battery.Reading!.Battery!;
            var pv = site.Devices[o.Inverter].Reading?.Inverter?.AcPowerW ?? 0;
            var load = Math.Max(0, pv + g - b.PowerW);
            var charge = Math.Max(0, b.PowerW);
            var full = b.SocPct >= 99.5;
            var (imp, exp) = (Math.Max(0, g), Math.Max(0, -g));
            if (full)
            {
                _seek = 0;
            }
            else
            {
                var maxOff = Math.Min(1500, Math.Max(0, 3000 - charge));
                maxOff = b.SocPct >= 97 ? Math.Min(maxOff, 200) : b.SocPct >= 95 ? Math.Min(maxOff, 500) : maxOff;
                _seek = exp > 50 ? Math.Max(0, _seek - Math.Min(2000, exp - 50)) : Math.Min(maxOff, _seek + 100);
            }
            var desired = charge + _seek;
            if (!full && b.PowerW < 50)
            {
                desired = Math.Max(desired, 1500);
            }
            target = load + desired + imp - exp - (full ? 50 : 0);
            if (full && desired <= 50 && b.PowerW <= -50)
            {
                target += Math.Min(300, -b.PowerW) + 50;
            }
        }
        var raw = Math.Clamp(Math.Round(Math.Clamp(target, 0, rated) / rated * 100), 0, 100);
        var pct = _written is { } prev ? Math.Round(prev * 0.2 + raw * 0.8) : raw;
        var telemetry = grid.Reading?.Timestamp;
        var gate = telemetry != _lastTelemetry;
        if ((_written is null || Math.Abs(_written.Value - pct) >= 1) && tick.Now - _lastWrite >= TimeSpan.FromSeconds(10) && gate)
        {
            var result = await tick.Commands.SendAsync(new SetActivePowerLimit(o.Inverter, pct, costly ? "limiting" : "export_allowed"), cancellationToken);
            _lastWrite = tick.Now;
            if (result.IsInEffect)
            {
                _written = pct;
            }
        }
        _lastTelemetry = telemetry;
    }

    public Task StopAsync(ServiceTick tick, CancellationToken cancellationToken) => Task.CompletedTask;
}
