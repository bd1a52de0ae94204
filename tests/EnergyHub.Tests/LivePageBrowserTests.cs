using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace EnergyHub.Tests;

/// <summary>Debian's Chromium, driven headless by Playwright, watches the live page of the demo site.</summary>
public sealed class LivePageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Test]
    public async Task The_live_page_shows_the_demo_site_and_a_value_changes_without_reloading()
    {
        Assert.That(File.Exists(Chromium), Is.True, "Debian's chromium must be installed (.ci/run installs it); no browser is ever downloaded");
        var data = Directory.CreateTempSubdirectory("energyhub-page-").FullName;
        var (cli, address) = await Run("config/demo.ini", new() { ["ENERGYHUB_Common__DataDir"] = data, ["ENERGYHUB_Logging__Dir"] = "" });
        using var running = cli;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Launch(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(address);
        var grid = page.Locator("#grid");
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("live", new() { Timeout = 15_000 });
        await Assertions.Expect(grid).Not.ToHaveTextAsync("–", new() { Timeout = 15_000 });
        var first = await grid.TextContentAsync();
        await Assertions.Expect(grid).Not.ToHaveTextAsync(first!, new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#devices")).ToContainTextAsync("inverter");
        await Assertions.Expect(page.Locator("#battery-soc")).Not.ToHaveTextAsync("–");
        await Assertions.Expect(page.Locator("#load")).Not.ToHaveTextAsync("–");

        cli.Interrupt();
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero);
    }

    [Test]
    public async Task The_live_page_shows_the_export_guard_with_its_reason_and_a_chart_of_flows_and_the_limit()
    {
        var (cli, address) = await Run(await ExportGuardEndToEndTests.EmulatedConfig(), new() { ["ENERGYHUB_Common__Speed"] = "4" });
        using var running = cli;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Launch(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(address);

        await Assertions.Expect(page.Locator("#guard")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#guard-costly")).ToHaveTextAsync("exporting costs money now", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#guard-reason")).ToHaveTextAsync("limiting", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#guard-limit")).ToContainTextAsync("%");
        await Assertions.Expect(page.Locator("#flows polyline[data-series='limit']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#flows polyline[data-series='grid']")).ToHaveCountAsync(1);

        // A reload draws the same chart from the journal (/api/events), not only from what this page saw.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#flows polyline[data-series='pv']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });

        cli.Interrupt();
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero);
    }

    /// <summary>Starts <c>energyhub run</c> on a free web port and returns it with the page's address.</summary>
    private static async Task<(Cli Cli, string Address)> Run(string config, Dictionary<string, string> environment)
    {
        environment["ENERGYHUB_Web__Port"] = "0";
        var cli = Cli.Start(["run", "--config", config], environment: environment);
        await cli.WaitForOutput("The live page and API are on", TimeSpan.FromSeconds(30));
        return (cli, Regex.Match(cli.Out, @"The live page and API are on (http://\S+)").Groups[1].Value);
    }

    private static Task<IBrowser> Launch(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
}
