using System.Text.RegularExpressions;
using EnergyHub.Core.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Tests;

/// <summary>The README is the front door, and every verb and every service is documented where it points.</summary>
public sealed partial class DocsTests
{
    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([EnergyHubCli.RepoRoot, .. path]));

    private static string AllDocs() => string.Join("\n", new[] { Path.Combine(EnergyHubCli.RepoRoot, "README.md") }
        .Concat(Directory.EnumerateFiles(Path.Combine(EnergyHubCli.RepoRoot, "docs"), "*.md", SearchOption.AllDirectories)).Select(File.ReadAllText));

    [Test]
    public void The_readme_is_at_most_150_lines_and_every_document_it_links_to_exists()
    {
        var readme = Read("README.md");
        Assert.That(readme.TrimEnd('\n').Split('\n'), Has.Length.LessThanOrEqualTo(150));
        var links = LinkPattern().Matches(readme).Select(m => m.Groups[1].Value).ToList();
        Assert.That(links, Is.Not.Empty);
        Assert.That(links.Where(l => !File.Exists(Path.Combine(EnergyHubCli.RepoRoot, l))), Is.Empty, "README links to files that do not exist");
    }

    [Test]
    public async Task Every_verb_of_the_command_is_in_the_command_s_document()
    {
        var (code, help, errors) = await EnergyHubCli.Run("--help");
        Assert.That(code, Is.Zero, errors);
        var verbs = help[help.IndexOf("Commands:", StringComparison.Ordinal)..].Split('\n').Skip(1)
            .Select(l => VerbPattern().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.That(verbs, Has.Count.GreaterThanOrEqualTo(10), help);
        var cli = Read("docs", "cli.md");
        Assert.That(verbs.Where(v => !cli.Contains($"`energyhub {v}", StringComparison.Ordinal)), Is.Empty, "verbs missing from docs/cli.md");
    }

    [Test]
    public void Every_service_is_in_a_service_guide_and_in_the_documented_template()
    {
        using var catalog = new SiteLoader(NullLoggerFactory.Instance) { BuiltIn = { typeof(Services.BuiltInServices).Assembly } }.LoadPlugins();
        var services = catalog.Services.Keys.ToList();
        Assert.That(services, Does.Contain("BatteryScheduler").And.Contain("AmberEmulator"));
        var guides = string.Join("\n", Directory.EnumerateFiles(Path.Combine(EnergyHubCli.RepoRoot, "docs", "services"), "*.md").Select(File.ReadAllText));
        var template = Read("config", "energyhub.ini");
        Assert.Multiple(() =>
        {
            Assert.That(services.Where(s => !guides.Contains(s, StringComparison.Ordinal)), Is.Empty, "services no guide in docs/services/ names");
            Assert.That(services.Where(s => !template.Contains($"\n{s} = false", StringComparison.Ordinal)), Is.Empty, "services missing from [Services] in config/energyhub.ini");
            Assert.That(AllDocs(), Does.Not.Contain("(ReadingLogger so far)"));
        });
    }

    [Test]
    public void The_architecture_is_at_most_250_lines_and_names_every_contract_and_command_of_the_sdk()
    {
        var architecture = Read("docs", "architecture.md");
        Assert.That(architecture.TrimEnd('\n').Split('\n'), Has.Length.LessThanOrEqualTo(250));
        var sdk = typeof(Services.IService).Assembly.GetExportedTypes();
        var contracts = sdk.Where(t => t.IsInterface || (t.IsSubclassOf(typeof(Commands.DeviceCommand)) && !t.IsAbstract)).Select(t => t.Name.Split('`')[0]).ToList();
        Assert.That(contracts, Does.Contain("IEvCharger").And.Contain("SetPhases"));
        Assert.That(contracts.Where(c => !architecture.Contains($"`{c}", StringComparison.Ordinal)), Is.Empty, "SDK contracts docs/architecture.md does not name");
        Assert.That(architecture, Does.Contain($"{sdk.Length} public types"), "the SDK's public type count as the architecture states it");
    }

    [Test]
    public void Every_reason_of_the_export_guard_is_in_its_guide_with_its_sentence()
    {
        var guide = Read("docs", "services", "export-guard.md");
        Assert.That(Enum.GetValues<Services.ExportGuard.GuardReason>().Select(r => $"| `{Services.ExportGuard.GuardReasons.Name(r)}` | {Services.ExportGuard.GuardReasons.Sentence(r)} |")
            .Where(row => !guide.Contains(row, StringComparison.Ordinal)), Is.Empty);
    }

    [GeneratedRegex(@"\]\(((?:docs|samples|config)/[^)#]+)\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"^  ([a-z][a-z-]*)\s")]
    private static partial Regex VerbPattern();
}
