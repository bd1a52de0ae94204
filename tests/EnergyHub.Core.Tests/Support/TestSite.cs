using EnergyHub.Core.Config;
using EnergyHub.Core.Plugins;

namespace EnergyHub.Core.Tests.Support;

/// <summary>Writes config text to a temporary file and validates it against the fake plugin.</summary>
public static class TestSite
{
    public static PluginCatalog Catalog()
    {
        var catalog = new PluginCatalog();
        Assert.That(catalog.Register(new FakePlugin(), "FakePlugin", "1.0", "test"), Is.Null);
        return catalog;
    }

    public static string WriteConfig(string text)
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-test-").FullName;
        var path = Path.Combine(dir, "config.ini");
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        return path;
    }

    public static SiteConfig Load(string text, IDictionary<string, string>? environment = null) =>
        SiteConfigValidator.Validate(ConfigDocument.Load(WriteConfig(text), new System.Collections.Hashtable(
            (environment ?? new Dictionary<string, string>()).ToDictionary(kv => (object)kv.Key, kv => (object?)kv.Value))), Catalog());

    /// <summary>The error lines <paramref name="text"/> produces; fails the test if it is valid.</summary>
    public static IReadOnlyList<string> Errors(string text, IDictionary<string, string>? environment = null)
    {
        var ex = Assert.Throws<ConfigException>(() => Load(text, environment));
        return ex!.Errors.Select(e => e.ToString()).ToList();
    }
}
