using CsCheck;
using EnergyHub.Core.Config;
using EnergyHub.Core.Tests.Support;

namespace EnergyHub.Core.Tests.Config;

/// <summary>
/// Random config files, built from the sections, keys and values a user (or a bad editor) might write: each one is a
/// site or a <see cref="ConfigException"/> that lists what is wrong, never another exception.
/// </summary>
public sealed class ConfigFuzzTests
{
    private static readonly string[] Sections =
        ["[Common]", "[Services]", "[Device:grid]", "[Device:roof]", "[Guard]", "[Web]", "[Journal]", "[Logging]", "[Device:]", "[Device:a:b]", "[", "[]", "[Nope]"];

    private static readonly string[] Keys =
    [
        "SiteName", "DataDir", "Speed", "ClockStart", "Guard", "Driver", "PowerW", "PollInterval", "StaleAfter", "Inverter", "Meters", "Count",
        "Port", "Address", "ApiKey", "AllowedHosts", "MaxStreams", "StreamReplay", "Enabled", "Level", "Dir", "FlushInterval", "Retention", "",
    ];

    private static readonly string[] Values =
    [
        "", " ", "true", "false", "fake-meter", "fake-inverter", "grid", "roof", "grid, roof", "0", "-1", "3", "12.5", "1e308", "NaN", "∞",
        "2s", "0s", "-5s", "99999999d", "1h", "10ms", "2026-06-01T00:00:00Z", "0001-01-01", "\"quoted\"", "a=b", "[x]", "${HOME}", "%00",
        "65536", "9223372036854775808", "é", "*",
    ];

    private static readonly Gen<string> Line = Gen.OneOf(
        Gen.OneOf(Sections),
        Gen.Select(Gen.OneOf(Keys), Gen.OneOf(Values)).Select(kv => $"{kv.Item1} = {kv.Item2}"),
        Gen.Select(Gen.OneOf(Keys), Gen.OneOf(Values)).Select(kv => $"{kv.Item1}={kv.Item2}"),
        Gen.OneOf("; a comment", "# another", "", "   ", "no equals sign", "= value without key"),
        Gen.String[0, 30]);

    [Test]
    public void Any_file_is_a_site_or_a_list_of_problems()
    {
        var catalog = TestSite.Catalog();
        var dir = Directory.CreateTempSubdirectory("energyhub-config-fuzz-").FullName;
        var path = Path.Combine(dir, "config.ini");
        Line.Array[0, 25].Sample(lines =>
        {
            File.WriteAllText(path, string.Join('\n', lines));
            try
            {
                SiteConfigValidator.Validate(ConfigDocument.Load(path, new System.Collections.Hashtable()), catalog);
            }
            catch (ConfigException ex)
            {
                Assert.That(ex.Errors, Is.Not.Empty);
            }
        }, iter: 3000, threads: 1);
    }
}
