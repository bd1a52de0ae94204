using EnergyHub.Core.Commands;
using EnergyHub.Core.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests.Plugins;

public sealed class PluginServicesTests
{
    [Test]
    public void Plugins_get_the_http_client_factory_loggers_and_clock_but_nothing_that_goes_around_the_command_gate()
    {
        var services = new ServiceCollection();
        services.AddHttpClient();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new CommandAuditLog(NullLogger<CommandAuditLog>.Instance));
        using var host = services.BuildServiceProvider();

        var plugins = PluginServices.Of(host);

        Assert.That(plugins.GetService(typeof(IHttpClientFactory)), Is.Not.Null);
        Assert.That(plugins.GetService(typeof(ILoggerFactory)), Is.Not.Null);
        Assert.That(plugins.GetService(typeof(TimeProvider)), Is.SameAs(TimeProvider.System));
        Assert.That(host.GetService(typeof(CommandAuditLog)), Is.Not.Null);
        Assert.That(plugins.GetService(typeof(CommandAuditLog)), Is.Null);
        Assert.That(plugins.GetService(typeof(IServiceProvider)), Is.Null);
        Assert.That(PluginServices.Of(plugins), Is.SameAs(plugins));
    }
}
