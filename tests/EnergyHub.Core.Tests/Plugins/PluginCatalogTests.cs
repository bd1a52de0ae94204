using EnergyHub.Core.Plugins;
using EnergyHub.Core.Tests.Support;
using EnergyHub.Options;
using EnergyHub.Plugins;

namespace EnergyHub.Core.Tests.Plugins;

public sealed class PluginCatalogTests
{
    private sealed class DictionaryOptions : DeviceOptions
    {
        public Dictionary<string, int> Map { get; init; } = [];
    }

    private sealed class Plugin(Action<IPluginRegistry> register) : IPlugin
    {
        public void Register(IPluginRegistry registry) => register(registry);
    }

    [Test]
    public void A_plugin_is_taken_whole_or_not_at_all()
    {
        var catalog = TestSite.Catalog();
        var failure = catalog.Register(new Plugin(r =>
        {
            r.AddDevice<FakeMeterOptions, FakeMeter>("new-meter", (_, c) => new FakeMeter(c.Id, c.Time));
            r.AddDevice<FakeMeterOptions, FakeMeter>("fake-meter", (_, c) => new FakeMeter(c.Id, c.Time));
        }), "Clash", "1.0", "test");

        Assert.That(failure, Does.Contain("driver 'fake-meter' is already provided by FakePlugin"));
        Assert.That(catalog.Drivers.ContainsKey("new-meter"), Is.False);
    }

    [TestCase("bad name")]
    [TestCase("")]
    [TestCase("a:b")]
    public void Driver_names_must_be_usable_in_config(string name)
    {
        var failure = new PluginCatalog().Register(new Plugin(r =>
            r.AddDevice<FakeMeterOptions, FakeMeter>(name, (_, c) => new FakeMeter(c.Id, c.Time))), "Bad", "1.0", "test");
        Assert.That(failure, Does.Contain("is empty or contains a space"));
    }

    [Test]
    public void Options_config_cannot_express_are_refused_at_registration()
    {
        var failure = new PluginCatalog().Register(new Plugin(r =>
            r.AddDevice<DictionaryOptions, FakeMeter>("map", (_, c) => new FakeMeter(c.Id, c.Time))), "Map", "1.0", "test");
        Assert.That(failure, Does.Contain("option DictionaryOptions.Map is a Dictionary`2, which config.ini cannot express"));
    }
}
