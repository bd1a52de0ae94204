using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EnergyHub.TestSupport;
using Microsoft.Playwright;

namespace EnergyHub.Tests;

/// <summary>
/// A fleet end to end: three demo sites publish their summaries and device readings to a real mosquitto,
/// <c>energyhub fleet</c> follows them into a PostgreSQL journal on the test run's throwaway cluster, and its page and
/// API show every site; a site that stops shows as Offline.
/// </summary>
public sealed class FleetEndToEndTests
{
    [Test]
    public async Task Three_sites_through_mosquitto_into_postgres_show_on_the_fleet_page_and_a_stopped_site_goes_offline()
    {
        using var broker = await Broker.Start();
        var database = PostgresServer.NewDatabase();
        var home1Journal = PostgresServer.NewDatabase();
        var sites = Enumerable.Range(1, 3).Select(i => EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: SiteEnvironment(i, broker, i == 1 ? home1Journal : null))).ToList();
        var fleetFile = Path.Combine(Directory.CreateTempSubdirectory("energyhub-fleet-").FullName, "fleet.ini");
        await File.WriteAllTextAsync(fleetFile, $"""
            [Common]
            SiteName = Test fleet
            DataDir = data
            [Logging]
            Dir =
            [Fleet]
            Prefix = energyhub
            StaleAfter = 30s
            [Mqtt]
            Enabled = true
            Host = 127.0.0.1
            Port = {broker.PortText}
            ClientId = test-fleet
            TopicPrefix = test-fleet
            [Journal]
            Backend = Postgres
            ConnectionString = {database}
            FlushInterval = 500ms
            [Web]
            Port = 0
            """);
        using var fleet = EnergyHubCli.Start(["fleet", "--config", fleetFile]);
        try
        {
            await fleet.WaitForOutput("The live page and API are on", TimeSpan.FromSeconds(30));
            var address = Regex.Match(fleet.Out, @"The live page and API are on (http://\S+)").Groups[1].Value;
            using var http = new HttpClient { BaseAddress = new Uri(address) };

            var all = await Until(http, f => f.GetProperty("sites").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Online" && s.GetProperty("gridW").ValueKind == JsonValueKind.Number) == 3,
                "three sites Online with their flows", fleet, sites);
            var home1 = all.GetProperty("sites").EnumerateArray().First(s => s.GetProperty("id").GetString() == "home1");
            Assert.That(home1.GetProperty("name").GetString(), Is.EqualTo("Home 1"));
            Assert.That(home1.GetProperty("page").GetString(), Is.EqualTo("http://home1.example/"));
            Assert.That(home1.GetProperty("today").GetProperty("day").GetString(), Is.Not.Empty);
            Assert.That(home1.GetProperty("lagMs").GetDouble(), Is.LessThan(30_000), "the lag is measured against the sending wall clock");

            var metrics = await http.GetStringAsync("/metrics");
            Assert.That(metrics, Does.Contain("energyhub_fleet_sites{status=\"Online\"} 3").And.Contain("energyhub_fleet_site_lag_seconds{site=\"home2\"}"));

            // Into PostgreSQL: each site's balance and its devices' readings, as series of the one journal.
            long Balances() => Convert.ToInt64(PostgresServer.Scalar(database,
                "SELECT COUNT(DISTINCT s.series) FROM readings r JOIN series s ON s.id = r.series_id WHERE s.series LIKE 'home_/balance/GridW'"));
            await Until(http, _ => Balances() == 3, "each site's grid power in PostgreSQL", fleet, sites);
            Assert.That(Convert.ToInt64(PostgresServer.Scalar(database, "SELECT COUNT(*) FROM series WHERE series = 'home2/grid/Meter.PowerW'")), Is.EqualTo(1),
                "device readings from the sites' MqttExporter");
            // The demo's clock runs in 2025 at 60x; the fleet keeps what it sent at the wall-clock time it was sent.
            var history = await http.GetFromJsonAsync<JsonElement>("/api/history?series=home1/balance/GridW&points=100");
            Assert.That(history.GetProperty("points").GetArrayLength(), Is.GreaterThan(0));

            // The page: a row per site, linked to the site's own page.
            using (var playwright = await Playwright.CreateAsync())
            {
                await using var browser = await LivePageBrowserTests.Launch(playwright);
                var page = await browser.NewPageAsync();
                await page.GotoAsync(address);
                await Assertions.Expect(page.Locator("#sites tbody tr")).ToHaveCountAsync(3, new() { Timeout = 15_000 });
                await Assertions.Expect(page.Locator("tr[data-site=home2] a")).ToHaveAttributeAsync("href", "http://home2.example/");
                await Assertions.Expect(page.Locator("tr[data-site=home3] .status")).ToHaveTextAsync("Online");
            }

            // A site that stops says Offline on its presence topic.
            sites[1].Interrupt();
            Assert.That(await sites[1].WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, sites[1].Err);
            await Until(http, f => f.GetProperty("sites").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "home2").GetProperty("status").GetString() == "Offline",
                "home2 Offline", fleet, sites);
        }
        finally
        {
            foreach (var site in sites.Where(s => !s.HasExited))
            {
                site.Interrupt();
            }
            foreach (var site in sites)
            {
                await site.WaitForExit(TimeSpan.FromSeconds(30));
                site.Dispose();
            }
        }
        fleet.Interrupt();
        Assert.That(await fleet.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, fleet.Err);
        Assert.That(fleet.Out + fleet.Err, Does.Not.Contain("[ERR]"));
        Assert.That(Convert.ToInt64(PostgresServer.Scalar(home1Journal, "SELECT COUNT(*) FROM readings r JOIN series s ON s.id = r.series_id WHERE s.series = 'grid/Meter.PowerW'")),
            Is.GreaterThan(0), "home1 journaled its own readings into its PostgreSQL database");

        // The fleet's journal exports like a site's.
        var csv = Path.Combine(Path.GetDirectoryName(fleetFile)!, "home3.csv");
        var export = await EnergyHubCli.Run(["db", "export", "--config", fleetFile, "--series", "home3/balance/GridW,home3/balance/PvW", "--from", "2000-01-01", "--to", "2100-01-01", "--out", csv], null);
        Assert.That(export.Code, Is.Zero, export.Err);
        var lines = await File.ReadAllLinesAsync(csv);
        Assert.That(lines[0], Is.EqualTo("time_utc,home3/balance/GridW,home3/balance/PvW"));
        Assert.That(lines, Has.Length.GreaterThan(1), "rows under the header");
    }

    // A demo site publishing below energyhub/home{i}; home1 keeps its own journal in PostgreSQL too.
    private static Dictionary<string, string> SiteEnvironment(int i, Broker broker, string? postgresJournal)
    {
        var environment = new Dictionary<string, string>
        {
            ["ENERGYHUB_Common__SiteName"] = $"Home {i}",
            ["ENERGYHUB_Common__DataDir"] = Directory.CreateTempSubdirectory("energyhub-fleet-site-").FullName,
            ["ENERGYHUB_Logging__Dir"] = "",
            ["ENERGYHUB_Web__Port"] = "0",
            ["ENERGYHUB_Web__PublicUrl"] = $"http://home{i}.example/",
            ["ENERGYHUB_Mqtt__Enabled"] = "true",
            ["ENERGYHUB_Mqtt__Host"] = "127.0.0.1",
            ["ENERGYHUB_Mqtt__Port"] = broker.PortText,
            ["ENERGYHUB_Mqtt__ClientId"] = $"home{i}",
            ["ENERGYHUB_Mqtt__TopicPrefix"] = $"energyhub/home{i}",
            ["ENERGYHUB_Mqtt__SummaryInterval"] = "1s",
            ["ENERGYHUB_Services__MqttExporter"] = "true",
        };
        if (postgresJournal is not null)
        {
            environment["ENERGYHUB_Journal__Backend"] = "Postgres";
            environment["ENERGYHUB_Journal__ConnectionString"] = postgresJournal;
        }
        return environment;
    }

    // Polls /api/fleet until the condition holds (each answer is the fleet's state after another message), at most 60 s.
    private static async Task<JsonElement> Until(HttpClient http, Func<JsonElement, bool> condition, string what, EnergyHubCli fleet, List<EnergyHubCli> sites)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await http.GetFromJsonAsync<JsonElement>("/api/fleet");
            if (condition(last))
            {
                return last;
            }
            await Task.Delay(250);
        }
        Assert.Fail($"The fleet never showed {what}. Last /api/fleet: {last}\nFleet output:\n{fleet.Out}\n{fleet.Err}\nFirst site:\n{sites[0].Out}");
        return last;
    }
}
