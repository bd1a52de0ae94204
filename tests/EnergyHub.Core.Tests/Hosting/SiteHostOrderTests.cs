using EnergyHub.Core.Devices;
using EnergyHub.Core.Hosting;
using EnergyHub.Core.Tests.Support;
using EnergyHub.Site;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests.Hosting;

public sealed class SiteHostOrderTests
{
    // Notes what the site looked like when it was started.
    private sealed class Probe(SiteState site, List<string> seen, string name) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            seen.Add($"{name}: grid {site.Snapshot()["grid"].Health}");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Test]
    public async Task What_configure_adds_starts_before_the_devices_are_read_and_configure_last_after_everything()
    {
        var config = TestSite.Load("[Journal]\nEnabled = false\n[Device:grid]\nDriver = fake-meter\nPowerW = 100\n");
        var seen = new List<string>();
        using var host = SiteHost.Build(config, NullLoggerFactory.Instance, TimeProvider.System,
            services => services.AddSingleton<IHostedService>(p => new Probe(p.GetRequiredService<SiteState>(), seen, "web")),
            services => services.AddSingleton<IHostedService>(p => new Probe(p.GetRequiredService<SiteState>(), seen, "watchdog")));

        await host.StartAsync();
        await host.StopAsync();

        Assert.That(seen, Is.EqualTo(new[] { "web: grid Unknown", "watchdog: grid Online" }),
            "the page answers before the first read; READY=1 only once everything has started");
    }
}
