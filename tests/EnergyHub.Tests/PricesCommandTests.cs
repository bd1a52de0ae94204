using EnergyHub.TestSupport;
using System.Text.Json;
using EnergyHub.Plugins.Simulator.Emulators;

namespace EnergyHub.Tests;

public sealed class PricesCommandTests
{
    private static Task<(int Code, string Out, string Err)> Prices(AmberEmulator emulator, params string[] extra) =>
        Prices(Directory.CreateTempSubdirectory("energyhub-prices-").FullName, "psk_cli", emulator, extra);

    private static async Task<(int Code, string Out, string Err)> Prices(string dir, string apiKey, AmberEmulator emulator, params string[] extra)
    {
        var config = Path.Combine(dir, "config.ini");
        await File.WriteAllTextAsync(config, $"""
            [Logging]
            Dir =
            [Device:prices]
            Driver = amber
            ApiKey = {apiKey}
            BaseUrl = {emulator.BaseAddress}v1/
            """);
        return await EnergyHubCli.Run(["prices", "--config", config, .. extra]);
    }

    [Test]
    public async Task A_failed_live_fetch_exits_1_and_shows_cached_prices_only_when_asked()
    {
        await using var emulator = new AmberEmulator("psk_cli", "scenario2", TimeProvider.System);
        emulator.Start(0);
        var dir = Directory.CreateTempSubdirectory("energyhub-prices-cache-").FullName;
        var (first, _, firstErrors) = await Prices(dir, "psk_cli", emulator);
        Assert.That(first, Is.Zero, firstErrors);

        var (code, output, errors) = await Prices(dir, "psk_wrong", emulator);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(errors + output, Does.Contain("rejected the API key").And.Contain("the live fetch failed").And.Contain("pass --cached"));
        Assert.That(output, Does.Not.Contain("Feed-in (paid)"));

        var (cachedCode, cachedOutput, _) = await Prices(dir, "psk_wrong", emulator, "--cached");
        Assert.That(cachedCode, Is.EqualTo(1));
        Assert.That(cachedOutput, Does.Contain("shown below from the cache").And.Contain("Feed-in (paid)"));
    }

    [Test]
    public async Task Prints_the_next_24_hours_and_marks_negative_feed_in()
    {
        await using var emulator = new AmberEmulator("psk_cli", "scenario2", TimeProvider.System);
        emulator.Start(0);

        var (code, output, errors) = await Prices(emulator);

        Assert.That(code, Is.Zero, errors);
        Assert.That(output, Does.Contain("prices:").And.Contain("AUD/kWh").And.Contain("Feed-in (paid)"));
        Assert.That(output, Does.Contain("negative feed-in: exporting costs money"));
    }

    [Test]
    public async Task Json_output_carries_signed_prices_per_interval()
    {
        await using var emulator = new AmberEmulator("psk_cli", "scenario2", TimeProvider.System);
        emulator.Start(0);

        var (code, output, errors) = await Prices(emulator, "--json", "--hours", "2");

        Assert.That(code, Is.Zero, errors);
        var source = JsonDocument.Parse(output).RootElement[0];
        Assert.That(source.GetProperty("currency").GetString(), Is.EqualTo("AUD"));
        var intervals = source.GetProperty("intervals").EnumerateArray().ToList();
        Assert.That(intervals, Is.Not.Empty);
        Assert.That(intervals.All(i => i.GetProperty("negativeFeedIn").GetBoolean() == i.GetProperty("feedInPerKwh").GetDouble() < 0), Is.True);
        Assert.That(DateTimeOffset.Parse(intervals[^1].GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            Is.LessThan(DateTimeOffset.UtcNow.AddHours(2)));
    }

    [Test]
    public async Task With_json_standard_output_is_only_the_document_even_when_a_source_fails()
    {
        var config = Path.Combine(Directory.CreateTempSubdirectory("energyhub-prices-json-").FullName, "config.ini");
        await File.WriteAllTextAsync(config, $"[Logging]\nDir =\n[Device:prices]\nDriver = amber\nApiKey = x\nBaseUrl = http://127.0.0.1:{Peer.FreePort()}/v1/\n");

        var (code, output, errors) = await EnergyHubCli.Run("prices", "--config", config, "--json");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(JsonDocument.Parse(output).RootElement[0].GetProperty("error").GetString(), Does.Contain("the request failed"));
        Assert.That(errors, Does.Contain("[WRN]"), "the warning goes to standard error");
    }

    [Test]
    public async Task An_amber_emulator_switched_on_in_the_config_answers_the_prices_verb()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-prices-emu-").FullName;
        var port = Peer.FreePort();
        var config = Path.Combine(dir, "config.ini");
        await File.WriteAllTextAsync(config, $"""
            [Logging]
            Dir =
            [Services]
            AmberEmulator = true
            [AmberEmulator]
            Port = {port}
            [Device:prices]
            Driver = amber
            ApiKey = psk_simulated
            BaseUrl = http://127.0.0.1:{port}/v1/
            """);

        var (code, output, errors) = await EnergyHubCli.Run("prices", "--config", config);

        Assert.That(code, Is.Zero, errors);
        Assert.That(output, Does.Contain("AUD/kWh"));
    }

    [Test]
    public async Task Without_a_price_source_it_says_how_to_add_one()
    {
        var config = Path.Combine(Directory.CreateTempSubdirectory("energyhub-noprices-").FullName, "config.ini");
        await File.WriteAllTextAsync(config, "[Logging]\nDir =\n[Device:site]\nDriver = sim-site\n[Device:grid]\nDriver = sim-meter\nSite = site\n");
        var (code, _, errors) = await EnergyHubCli.Run("prices", "--config", config);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("no price source is configured; add a [Device:<id>] with Driver = amber or Driver = pse"));
    }
}
