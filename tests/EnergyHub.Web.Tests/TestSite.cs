using EnergyHub.Core.Config;
using EnergyHub.Core.Hosting;
using EnergyHub.Core.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Web.Tests;

/// <summary>A running simulated site with the web server on a free port and a journal in a temp folder.</summary>
public sealed class TestSite : IAsyncDisposable
{
    private TestSite(IHost host, HttpClient http, HttpClient anonymous, string dir)
    {
        Host = host;
        Http = http;
        Anonymous = anonymous;
        Dir = dir;
    }

    public IHost Host { get; }

    /// <summary>A client that sends the site's API key (the configured one, or the one generated into its DataDir).</summary>
    public HttpClient Http { get; }

    /// <summary>A client without the key, as anyone else on the machine.</summary>
    public HttpClient Anonymous { get; }

    public string Dir { get; }

    public static async Task<TestSite> Start(string extra = "", string flushInterval = "100ms")
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-web-").FullName;
        var path = Path.Combine(dir, "config.ini");
        await File.WriteAllTextAsync(path, $"""
            [Common]
            DataDir = data
            [Logging]
            Dir =
            [Journal]
            FlushInterval = {flushInterval}
            [Web]
            Port = 0
            {extra}
            [Device:site]
            Driver = sim-site
            [Device:grid]
            Driver = sim-meter
            Site = site
            PollInterval = 200ms
            [Device:battery]
            Driver = sim-battery
            Site = site
            PollInterval = 200ms
            """);
        var catalog = new PluginCatalog();
        Assert.That(catalog.Register(new Plugins.Simulator.SimulatorPlugin(), "Simulator", "1", "test"), Is.Null);
        Assert.That(catalog.Register(new Services.BuiltInServices(), "BuiltIn", "1", "test"), Is.Null);
        var config = SiteConfigValidator.Validate(ConfigDocument.Load(path), catalog);
        var host = SiteHost.Build(config, NullLoggerFactory.Instance, TimeProvider.System, services => WebServer.AddTo(services, config));
        await host.StartAsync();
        var address = host.Services.GetRequiredService<WebServer>().Address!;
        var (key, _) = Security.GeneratedApiKey.Resolve(config.Web, config.DataDir);
        var http = Client(address);
        http.DefaultRequestHeaders.Add(Security.ApiKeyCheck.Header, key);
        return new TestSite(host, http, Client(address), dir);
    }

    private static HttpClient Client(Uri address) => new(new HttpClientHandler { UseCookies = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>Polls <paramref name="path"/> until it answers 200 and <paramref name="pick"/> finds something in its JSON.</summary>
    public async Task<System.Text.Json.JsonElement> UntilJson(string path, Func<System.Text.Json.JsonElement, System.Text.Json.JsonElement?> pick)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await Http.GetAsync(path);
            if (response.StatusCode == System.Net.HttpStatusCode.OK && pick(System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement) is { } found)
            {
                return found;
            }
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"timed out waiting for {path}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Anonymous.Dispose();
        await Host.StopAsync();
        Host.Dispose();
    }
}
