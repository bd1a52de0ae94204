using EnergyHub.Core.Config;

namespace EnergyHub.Core.Fleet;

/// <summary>
/// A fleet file: <c>[Fleet]</c>, the broker the sites publish to (<c>[Mqtt]</c>), the journal they go into
/// (<c>[Journal]</c>, usually Backend = Postgres), the fleet page (<c>[Web]</c>), <c>[Common]</c> and <c>[Logging]</c>.
/// It has no devices and no services.
/// </summary>
/// <param name="Site">The sections a site file has too, as a site configuration without devices.</param>
/// <param name="Fleet">The <c>[Fleet]</c> section.</param>
public sealed record FleetConfig(SiteConfig Site, FleetOptions Fleet)
{
    private static readonly string[] Sections = ["Common", "Logging", "Journal", "Web", "Mqtt", "Fleet"];

    /// <summary>
    /// The file at <paramref name="path"/> when it is a fleet file (it has a <c>[Fleet]</c> section); null for a site's
    /// file, or one that does not load (the site's loader then says why).
    /// </summary>
    public static ConfigDocument? FleetDocument(string path)
    {
        try
        {
            var document = ConfigDocument.Load(path);
            return document.DeclaredSections.Contains("Fleet", StringComparer.OrdinalIgnoreCase) ? document : null;
        }
        catch (ConfigException)
        {
            return null;
        }
    }

    /// <summary>Reads and checks <paramref name="document"/>; throws <see cref="ConfigException"/> listing every problem.</summary>
    public static FleetConfig Validate(ConfigDocument document)
    {
        var errors = new List<ConfigError>();
        foreach (var section in document.Root.GetChildren().Where(s => !Sections.Contains(s.Key, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add(document.Error(section.Key, null, "a fleet file has no devices or services",
                "sections " + string.Join(", ", Sections.Select(s => $"[{s}]")) + "; a site's own file is run by `energyhub run`"));
        }
        var binder = new OptionsBinder(document);
        var common = (CommonOptions)binder.Bind("Common", typeof(CommonOptions), complete: true, null, errors);
        var logging = (LoggingOptions)binder.Bind("Logging", typeof(LoggingOptions), complete: true, null, errors);
        var journal = (JournalOptions)binder.Bind("Journal", typeof(JournalOptions), complete: true, null, errors);
        var web = (WebOptions)binder.Bind("Web", typeof(WebOptions), complete: true, null, errors);
        var mqtt = (MqttOptions)binder.Bind("Mqtt", typeof(MqttOptions), complete: true, null, errors);
        var fleet = (FleetOptions)binder.Bind("Fleet", typeof(FleetOptions), complete: true, null, errors);
        if (string.IsNullOrWhiteSpace(mqtt.Host))
        {
            errors.Add(document.Error("Mqtt", nameof(MqttOptions.Host), "is empty: the fleet reads its sites from a broker", "the broker's host name or address, e.g. 127.0.0.1"));
        }
        if (errors.Count > 0)
        {
            throw new ConfigException(errors.OrderBy(e => e.Line ?? int.MaxValue).ToList());
        }
        return new FleetConfig(new SiteConfig(document, common, logging, [], []) { Journal = journal, Web = web, Mqtt = mqtt }, fleet);
    }
}
