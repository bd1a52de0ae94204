using System.Diagnostics;

namespace EnergyHub.Tests;

/// <summary>
/// A third-party author's path, outside this repository: pack the SDK, make a plugin from the dotnet new template (the
/// HelloPlugin sample), build it against the packed SDK alone, and load it into EnergyHub.
/// </summary>
public sealed class OutOfTreePluginTests
{
    private static async Task<string> Dotnet(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var all = await output + await errors;
        Assert.That(process.ExitCode, Is.Zero, $"dotnet {string.Join(' ', args)} in {workingDirectory}:\n{all}");
        return all;
    }

    [Test]
    public async Task A_plugin_made_from_the_template_builds_against_the_packed_sdk_alone_and_loads()
    {
        var root = Directory.CreateTempSubdirectory("energyhub-author-").FullName;
        var feed = Path.Combine(root, "feed");
        var hive = Path.Combine(root, "templates");
        await Dotnet(EnergyHubCli.RepoRoot, "pack", "src/EnergyHub.Abstractions", "-c", "Release", "--no-build", "-o", feed);
        Assert.That(Directory.GetFiles(feed, "EnergyHub.Abstractions.*.nupkg"), Has.Length.EqualTo(1));

        await Dotnet(root, "new", "install", Path.Combine(EnergyHubCli.RepoRoot, "samples", "HelloPlugin"), "--debug:custom-hive", hive);
        await Dotnet(root, "new", "energyhub-plugin", "-n", "AcmeMeter", "--driver", "acme", "-o", "AcmeMeter", "--debug:custom-hive", hive);
        var project = Path.Combine(root, "AcmeMeter");
        Assert.That(File.Exists(Path.Combine(project, "AcmeMeter.csproj")), Is.True, "the project is named after the plugin");
        Assert.That(Directory.Exists(Path.Combine(project, "bin")), Is.False, "no build output of the sample comes along");
        await File.WriteAllTextAsync(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="energyhub-sdk" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        await Dotnet(project, "build", "-c", "Release");
        var plugins = Path.Combine(root, "plugins", "AcmeMeter");
        Directory.CreateDirectory(plugins);
        foreach (var file in Directory.GetFiles(Path.Combine(project, "bin", "Release", "net10.0")))
        {
            File.Copy(file, Path.Combine(plugins, Path.GetFileName(file)));
        }
        Assert.That(Directory.GetFiles(plugins).Select(Path.GetFileName), Does.Not.Contain("EnergyHub.Abstractions.dll"), "the host provides the SDK");

        var config = Path.Combine(root, "config.ini");
        await File.WriteAllTextAsync(config, "[Device:shed]\nDriver = acme\nPowerW = 250\n");
        var (code, output, errors) = await EnergyHubCli.Run("--plugin-dir", Path.Combine(root, "plugins"), "check-config", config);
        Assert.That(code, Is.Zero, errors);
        Assert.That(output, Does.Contain("shed: acme"));
    }
}
