namespace EnergyHub.Tests;

/// <summary>
/// <c>energyhub run</c> with plugin folders changed under it: a replaced plugin the site uses restarts the site in-process
/// on the new version; one it does not use leaves it running; a broken one, or a removal the config cannot do without,
/// leaves the running site as it is and says why.
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

    private static async Task Until(EnergyHubCli cli, string what, int times)
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

    // The device 'hello' runs the code of this version: the API names its assembly's version and its display name, and
    // the reading is what that version's meter reports.
    private static async Task RunsCode(HttpClient http, string version, string displayName, double powerW)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string devices = "", state = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                devices = await http.GetStringAsync("/api/devices");
                state = await http.GetStringAsync("/api/state");
            }
            catch (HttpRequestException)
            {
                // the site is restarting: the web server comes back with it
            }
            using var d = System.Text.Json.JsonDocument.Parse(devices.Length > 0 ? devices : "[]");
            var hello = d.RootElement.EnumerateArray().FirstOrDefault(e => e.GetProperty("id").GetString() == "hello");
            var power = state.Length == 0 ? null : System.Text.Json.JsonDocument.Parse(state).RootElement.GetProperty("devices").TryGetProperty("hello", out var h)
                ? h.GetProperty("values").EnumerateArray().Where(v => v.GetProperty("series").GetString() == "Meter.PowerW").Select(v => (double?)v.GetProperty("value").GetDouble()).FirstOrDefault()
                : null;
            if (hello.ValueKind == System.Text.Json.JsonValueKind.Object && hello.GetProperty("code").GetProperty("version").GetString() == version
                && hello.GetProperty("displayName").GetString() == displayName && power == powerW)
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"hello did not run {version} ('{displayName}', {powerW} W). /api/devices: {devices}\n/api/state: {state}");
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
        var port = EnergyHub.TestSupport.Peer.FreePort();
        await File.WriteAllTextAsync(config, $$"""
            [Common]
            PluginDirs = plugins
            PluginReloadInterval = 200ms
            [Logging]
            Dir =
            [Web]
            Address = 127.0.0.1
            Port = {{port}}
            [Device:hello]
            Driver = hello
            PowerW = 100
            PollInterval = 1s
            [Device:ev]
            Driver = goe
            Host = 127.0.0.1:9
            """);
        using var cli = EnergyHubCli.Start(["run", "--config", config]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        const string Running = "running site EnergyHub: 2 device(s)";
        const string Online = "Device hello is Online";
        await Until(cli, Online, 1);
        await RunsCode(http, "1.2.0", "Hello meter", 100);

        // A broken replacement: the site keeps the version it has.
        await File.WriteAllTextAsync(Path.Combine(hello, "HelloPlugin.dll"), "not an assembly");
        await Until(cli, "The plugin change is not applied", 1);
        Assert.That(cli.Err, Does.Contain("is not a .NET assembly"));
        Assert.That(Count(cli.Out, Running), Is.EqualTo(1), "the running site was not restarted");

        // The next release copied over the loaded one: the site restarts on it, and its devices run the new code.
        File.Copy(Path.Combine(AppContext.BaseDirectory, "hello-v2", "HelloPlugin.dll"), Path.Combine(hello, "HelloPlugin.dll"), overwrite: true);
        await Until(cli, "Restarting the site on the new plugins: HelloPlugin 1.2.0 → 2.0.0", 1);
        await Until(cli, Running, 2);
        await RunsCode(http, "2.0.0", "Hello meter v2", 1000);

        // The old release written back into the same file (as cp does, same inode): the site goes back to it.
        await using (var inPlace = new FileStream(Path.Combine(hello, "HelloPlugin.dll"), FileMode.Open, FileAccess.Write))
        {
            inPlace.SetLength(0);
            await inPlace.WriteAsync(await File.ReadAllBytesAsync(built));
        }
        await Until(cli, "Restarting the site on the new plugins: HelloPlugin 2.0.0 → 1.2.0", 1);
        await Until(cli, Running, 3);
        await Until(cli, Online, 3);
        await RunsCode(http, "1.2.0", "Hello meter", 100);

        // A new plugin dropped in beside it that the config does not use: loaded and checked, but the running site, its
        // devices and their hardware are left alone.
        var seed = Path.Combine(dir, "plugins", "SeedExportGuard");
        Directory.CreateDirectory(seed);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "SeedExportGuard.dll"), Path.Combine(seed, "SeedExportGuard.dll"));
        await Until(cli, "no device or service of the site comes from them, so it keeps running untouched", 1);
        Assert.That(cli.Out, Does.Contain("Plugins changed: SeedExportGuard").And.Contain("(new)"));
        Assert.That(Count(cli.Out, Running), Is.EqualTo(3), "the site was not restarted for a plugin it does not use");
        Assert.That(Count(cli.Out, "Restarting the site on the new plugins"), Is.EqualTo(2));

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
