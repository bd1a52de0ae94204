using System.Text.RegularExpressions;
using EnergyHub.TestSupport;

namespace EnergyHub.Tests;

/// <summary>
/// What a home owner installs: packaging/build.sh makes the self-contained linux-x64 tarball and .deb; the .deb is
/// lintian-clean, installs into a throwaway root with dpkg, runs the demo from there with the unit's folders (no .NET
/// of the machine's), stops on SIGTERM, and its removal keeps the owner's config.
/// </summary>
[Order(Parallelism.LongestFirst)]
public sealed partial class PackageTests
{
    [Test]
    public async Task The_x64_package_is_lintian_clean_installs_into_a_throwaway_root_and_its_daemon_serves_the_demo_and_stops_on_sigterm()
    {
        var work = Directory.CreateTempSubdirectory("energyhub-package-").FullName;
        try
        {
            var output = Path.Combine(work, "out");
            using (var build = Peer.Start(Path.Combine(EnergyHubCli.RepoRoot, "packaging", "build.sh"), "--out", output, "linux-x64"))
            {
                Assert.That(await build.WaitForExit(TimeSpan.FromMinutes(10)), Is.True, build.Output);
                Assert.That(build.ExitCode, Is.Zero, build.Output);
            }
            var deb = Directory.GetFiles(output, "energyhub_*_amd64.deb").Single();
            Assert.That(Directory.GetFiles(output, "energyhub-*-linux-x64.tar.gz"), Has.Length.EqualTo(1));

            Peer.Require("lintian");
            using (var lintian = Peer.Start("lintian", "--fail-on", "error,warning", deb))
            {
                Assert.That(await lintian.WaitForExit(TimeSpan.FromMinutes(5)), Is.True, lintian.Output);
                Assert.That((lintian.ExitCode, lintian.Output.Split('\n').Where(l => l.StartsWith("E:") || l.StartsWith("W:"))), Is.EqualTo((0, Array.Empty<string>())));
            }

            var root = Path.Combine(work, "root");
            Directory.CreateDirectory(Path.Combine(root, "var/lib/dpkg/info"));
            Directory.CreateDirectory(Path.Combine(root, "var/lib/dpkg/updates"));
            File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), "");
            // The throwaway root has no Debian of its own to satisfy libc6 and the rest: this machine's libraries are used.
            var (installed, installLog) = await Dpkg(root, "-i", deb);
            Assert.That(installed, Is.Zero, installLog);
            Assert.That(new FileInfo(Path.Combine(root, "usr/bin/energyhub")).LinkTarget, Is.EqualTo("../lib/energyhub/energyhub"));
            var unit = File.ReadAllText(Path.Combine(root, "lib/systemd/system/energyhub.service"));
            Assert.That(unit, Does.Contain("ExecStart=/usr/lib/energyhub/energyhub run --config /etc/energyhub/config.ini")
                .And.Contain("ExecStopPost=/usr/lib/energyhub/energyhub safe-state --config /etc/energyhub/config.ini"));
            Assert.That(unit, Does.Not.Contain("dotnet").And.Not.Contain("/opt/"));

            var state = Directory.CreateDirectory(Path.Combine(work, "state")).FullName;
            var logs = Directory.CreateDirectory(Path.Combine(work, "logs")).FullName;
            var config = Path.Combine(root, "etc/energyhub/config.ini");
            using (var daemon = Peer.Start("env", "-u", "DOTNET_ROOT", $"STATE_DIRECTORY={state}", $"LOGS_DIRECTORY={logs}", "ENERGYHUB_Web__Port=0",
                Path.Combine(root, "usr/bin/energyhub"), "run", "--config", config))
            {
                await daemon.WaitFor("The live page and API are on ", TimeSpan.FromSeconds(90));
                var address = Address().Match(daemon.Output).Groups[1].Value;
                using var http = new HttpClient();
                var page = await http.GetAsync(address);
                Assert.That(page.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), daemon.Output);
                Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("EnergyHub"));
                await Peer.Run("kill", "-TERM", daemon.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.That(await daemon.WaitForExit(TimeSpan.FromSeconds(45)), Is.True, daemon.Output);
                Assert.That(daemon.ExitCode, Is.Zero, daemon.Output);
                Assert.That(daemon.Output, Does.Contain("EnergyHub stopped"));
            }
            Assert.That(Directory.GetFileSystemEntries(state), Is.Not.Empty, "the journal and the key went to the unit's StateDirectory");
            Assert.That(Directory.GetFileSystemEntries(Path.Combine(root, "etc/energyhub")).Select(Path.GetFileName), Is.EqualTo(new[] { "config.ini" }), "nothing written beside the config");

            var (removed, removeLog) = await Dpkg(root, "-r", "energyhub");
            Assert.That(removed, Is.Zero, removeLog);
            Assert.That(Directory.Exists(Path.Combine(root, "usr/lib/energyhub")), Is.False, "the program is gone");
            Assert.That(File.Exists(config), Is.True, "the owner's config stays until purge");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<(int Code, string Output)> Dpkg(string root, params string[] args)
    {
        using var dpkg = Peer.Start("dpkg", [$"--root={root}", "--force-script-chrootless", "--force-depends", "--log=/dev/null", .. args]);
        Assert.That(await dpkg.WaitForExit(TimeSpan.FromMinutes(2)), Is.True, dpkg.Output);
        return (dpkg.ExitCode, dpkg.Output);
    }

    [GeneratedRegex(@"The live page and API are on (http://\S+)")]
    private static partial Regex Address();
}
