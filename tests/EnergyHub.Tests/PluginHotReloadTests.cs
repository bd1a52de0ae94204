namespace EnergyHub.Tests;

/// <summary>
/// <c>energyhub run</c> with plugin folders changed under it: a replaced plugin restarts the site in-process on the new
/// version; a broken one, or a removal the config cannot do without, leaves the running site as it is and says why.
/// </summary>
public sealed class PluginHotReloadTests
{
    private static int Count(string text, string what)
    {
        var (count, at) = (0, 0);
        while ((at = text.IndexOf(what, at, StringComparison.Ordinal)) >= 0)
        {
            (count, at) = (count + 1, at + what.Length);
        }
        return count;
    }

    private static async Task Until(Cli cli, string what, int times)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Count(cli.Out + cli.Err, what) < times) // errors are logged to stderr
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"'{what}' did not appear {times} time(s). Output:\n{cli.Out}\nErrors:\n{cli.Err}");
            }
            await Task.Delay(50);
        }
    }

    [Test]
    public async Task Plugins_dropped_in_replaced_broken_and_removed_while_running()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-hot-reload-").FullName;
        var hello = Path.Combine(dir, "plugins", "HelloPlugin");
        Directory.CreateDirectory(hello);
        var built = Path.Combine(AppContext.BaseDirectory, "HelloPlugin.dll");
        File.Copy(built, Path.Combine(hello, "HelloPlugin.dll"));
        var config = Path.Combine(dir, "config.ini");
        await File.WriteAllTextAsync(config, """
            [Common]
            PluginDirs = plugins
            PluginReloadInterval = 200ms
            [Logging]
            Dir =
            [Web]
            Enabled = false
            [Device:hello]
            Driver = hello
            PowerW = 100
            PollInterval = 1s
            [Device:ev]
            Driver = goe
            Host = 127.0.0.1:9
            """);
        using var cli = Cli.Start(["run", "--config", config]);
        const string Running = "running site EnergyHub: 2 device(s)";
        const string Online = "Device hello is Online";
        await Until(cli, Online, 1);

        // A broken replacement: the site keeps the version it has.
        await File.WriteAllTextAsync(Path.Combine(hello, "HelloPlugin.dll"), "not an assembly");
        await Until(cli, "The plugin change is not applied", 1);
        Assert.That(cli.Err, Does.Contain("is not a .NET assembly"));
        Assert.That(Count(cli.Out, Running), Is.EqualTo(1), "the running site was not restarted");

        // The good version back: the site restarts on it, and the device is read again.
        File.Copy(built, Path.Combine(hello, "HelloPlugin.dll"), overwrite: true);
        await Until(cli, "Restarting the site on the new plugins: HelloPlugin 1.2.0 (replaced)", 1);
        await Until(cli, Running, 2);
        await Until(cli, Online, 2);

        // A new plugin dropped in beside it: loaded without a restart of the process.
        var seed = Path.Combine(dir, "plugins", "SeedExportGuard");
        Directory.CreateDirectory(seed);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "SeedExportGuard.dll"), Path.Combine(seed, "SeedExportGuard.dll"));
        await Until(cli, "Restarting the site on the new plugins", 2);
        Assert.That(cli.Out, Does.Contain("Restarting the site on the new plugins: SeedExportGuard").And.Contain("(new)"));
        await Until(cli, Running, 3);

        // A change whose site cannot be built (a driver refuses its options) goes back to what ran before.
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(config)).Replace("Host = 127.0.0.1:9", "Host = ftp://nowhere", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(Path.Combine(hello, "HelloPlugin.dll"), DateTime.UtcNow.AddMinutes(1)); // as a rebuild of the plugin would
        await Until(cli, "going back to the plugins it ran on", 1);
        await Until(cli, Running, 4);
        Assert.That(cli.Err + cli.Out, Does.Contain("ftp://nowhere"), "the reason is shown");

        // Removing the plugin the config needs is refused: the site keeps running.
        Directory.Delete(hello, recursive: true);
        await Until(cli, "The plugin change is not applied", 2);
        Assert.That(cli.Err, Does.Contain("'hello'"));
        Assert.That(Count(cli.Out, Running), Is.EqualTo(4));

        cli.Interrupt();
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);
    }
}
