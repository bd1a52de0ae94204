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
    public void A_name_two_plugins_provide_is_withdrawn_from_both_and_the_rest_of_each_stays()
    {
        var catalog = TestSite.Catalog();
        var failure = catalog.Register(new Plugin(r =>
        {
            r.AddDevice<FakeMeterOptions, FakeMeter>("new-meter", (_, c) => new FakeMeter(c.Id, c.Time));
            r.AddDevice<FakeMeterOptions, FakeMeter>("fake-meter", (_, c) => new FakeMeter(c.Id, c.Time));
        }), "Clash", "1.0", "test");

        Assert.That(failure, Is.EqualTo("driver 'fake-meter' is provided by FakePlugin (test) and Clash (test), so neither is used; remove one of the plugin folders"));
        Assert.That(catalog.Drivers.ContainsKey("new-meter"), Is.True);
        Assert.That(catalog.Drivers.ContainsKey("fake-meter"), Is.False);
        Assert.That(catalog.Plugins.Single(p => p.Name == "FakePlugin").Drivers, Does.Not.Contain("fake-meter"));
        Assert.That(catalog.ContestedServices, Is.Empty, "a driver's name says nothing about services");
    }

    [Test]
    public void A_plugin_whose_register_throws_adds_nothing()
    {
        var catalog = TestSite.Catalog();
        var failure = catalog.Register(new Plugin(r =>
        {
            r.AddDevice<FakeMeterOptions, FakeMeter>("new-meter", (_, c) => new FakeMeter(c.Id, c.Time));
            throw new InvalidOperationException("half way");
        }), "Half", "1.0", "test");

        Assert.That(failure, Is.EqualTo("Register threw InvalidOperationException: half way"));
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
