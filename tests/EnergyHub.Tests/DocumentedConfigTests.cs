using System.Text.RegularExpressions;
using EnergyHub.Core.Config;
using EnergyHub.Core.Hosting;
using EnergyHub.Options;
using EnergyHub.Services;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Tests;

/// <summary>config/energyhub.ini must document every key EnergyHub ships, so a user never has to read code.</summary>
public sealed class DocumentedConfigTests
{
    private static IEnumerable<TestCaseData> Sections()
    {
        var loader = new SiteLoader(NullLoggerFactory.Instance);
        loader.BuiltIn.Add(typeof(BuiltInServices).Assembly);
        var catalog = loader.LoadPlugins();
        yield return new TestCaseData("Common", typeof(CommonOptions)).SetName("[Common]");
        yield return new TestCaseData("Logging", typeof(LoggingOptions)).SetName("[Logging]");
        yield return new TestCaseData("Journal", typeof(JournalOptions)).SetName("[Journal]");
        yield return new TestCaseData("Web", typeof(WebOptions)).SetName("[Web]");
        yield return new TestCaseData("Mqtt", typeof(MqttOptions)).SetName("[Mqtt]");
        yield return new TestCaseData("Fleet", typeof(Core.Fleet.FleetOptions)).SetName("[Fleet]");
        yield return new TestCaseData("Device:<id>", typeof(DeviceOptions)).SetName("[Device:<id>] common keys");
        foreach (var service in catalog.Services.Values)
        {
            yield return new TestCaseData(service.Name, service.OptionsType).SetName($"[{service.Name}]");
            if (OptionsBinder.SubsectionType(service.OptionsType) is { } subsection)
            {
                yield return new TestCaseData($"{service.Name}:<key>", subsection).SetName($"[{service.Name}:<key>]");
            }
        }
        foreach (var driver in catalog.Drivers.Values)
        {
            yield return new TestCaseData("driver " + driver.Name, driver.OptionsType).SetName($"driver {driver.Name}");
        }
    }

    [TestCaseSource(nameof(Sections))]
    public void Every_key_is_documented(string section, Type options)
    {
        var text = File.ReadAllText(Path.Combine(EnergyHubCli.RepoRoot, "config", "energyhub.ini"));
        var missing = OptionsBinder.Keys(options)
            .Where(key => !Regex.IsMatch(text, $@"^[;#\s]*{key.Name}\s*=", RegexOptions.Multiline))
            .Select(key => key.Name)
            .ToList();
        Assert.That(missing, Is.Empty, $"keys of {section} missing from config/energyhub.ini");
    }
}
