using EnergyHub.Core.Config;
using EnergyHub.Core.Devices;
using EnergyHub.Core.Hosting;
using EnergyHub.Core.Plugins;
using EnergyHub.Core.Tests.Support;
using EnergyHub.Devices;
using EnergyHub.Site;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests.Plugins;

/// <summary>Loads real plugin build outputs (copied by the build into testplugins/) from drop-in folders.</summary>
public sealed class PluginLoaderTests
{
    private static readonly string Built = Path.Combine(AppContext.BaseDirectory, "testplugins");
    private string _plugins = "";

    [SetUp]
    public void CreateDropFolder() => _plugins = Directory.CreateTempSubdirectory("energyhub-plugins-").FullName;

    [TearDown]
    public void RemoveDropFolder()
    {
        try
        {
            Directory.Delete(_plugins, recursive: true);
        }
        catch (UnauthorizedAccessException)
        {
            // Assemblies loaded into the test process may stay mapped; the temp folder is cleaned by the OS.
        }
    }

    private string Drop(string plugin, string? asName = null)
    {
        var target = Path.Combine(_plugins, asName ?? plugin);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Path.Combine(Built, plugin)))
        {
            var name = Path.GetFileName(file);
            File.Copy(file, Path.Combine(target, asName is null ? name : name.Replace(plugin, asName, StringComparison.Ordinal)));
        }
        return target;
    }

    private PluginCatalog Load()
    {
        var catalog = new PluginCatalog();
        new PluginLoader(NullLogger<PluginLoader>.Instance).LoadDirectories([_plugins], catalog);
        return catalog;
    }

    [Test]
    public void A_disposed_catalog_unloads_its_plugins_so_a_replaced_plugin_is_let_go()
    {
        Drop("HelloPlugin");
        var unloaded = LoadAndDispose();

        for (var i = 0; i < 20 && unloaded.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.That(unloaded.IsAlive, Is.False, "the plugin's load context is collected once the catalog is disposed");
    }

    // Not inlined: no reference into the plugin may stay on this frame.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private WeakReference LoadAndDispose()
    {
        var catalog = Load();
        var context = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(catalog.Drivers["hello"].DeviceType.Assembly)!;
        Assert.That(context.IsCollectible, Is.True);
        // A device built from it and looked at as the site does (its facts after every read) must not pin it either.
        var device = Hello(catalog);
        Assert.That(DeviceFacts.Of(device, confirmed: true).Roles, Does.Contain(typeof(IMeter)));
        (device as IDisposable)?.Dispose();
        Assert.That(catalog.Plugins.Single().LoadContext, Is.EqualTo("own, unloadable"));
        var weak = new WeakReference(context);
        catalog.Dispose();
        return weak;
    }

    [Test]
    public void The_sample_plugin_loads_from_a_drop_in_folder_with_its_version_and_driver()
    {
        Drop("HelloPlugin");

        var catalog = Load();

        Assert.That(catalog.Failures, Is.Empty);
        var plugin = catalog.Plugins.Single();
        Assert.Multiple(() =>
        {
            Assert.That(plugin.Name, Is.EqualTo("HelloPlugin"));
            Assert.That(plugin.Version, Is.EqualTo("1.2.0"));
            Assert.That(plugin.Drivers, Is.EqualTo(new[] { "hello" }));
            Assert.That(catalog.Drivers["hello"].Roles, Is.EqualTo("IMeter"));
            // The SDK is shared with the host, so the plugin's device is the host's IMeter.
            Assert.That(typeof(IMeter).IsAssignableFrom(catalog.Drivers["hello"].DeviceType), Is.True);
        });
    }

    [Test]
    public void Broken_plugins_are_reported_with_the_reason_and_skipped_while_the_rest_loads()
    {
        Drop("HelloPlugin");
        Drop("ThrowingPlugin");
        var needs = Drop("NeedsDependency");
        File.Delete(Path.Combine(needs, "TestDependency.dll"));
        var garbage = Directory.CreateDirectory(Path.Combine(_plugins, "Garbage")).FullName;
        File.WriteAllText(Path.Combine(garbage, "Garbage.dll"), "this is not an assembly");
        Directory.CreateDirectory(Path.Combine(_plugins, "Empty"));

        var catalog = Load();

        Assert.That(catalog.Plugins.Select(p => p.Name), Is.EqualTo(new[] { "HelloPlugin" }));
        Assert.That(catalog.Drivers.Keys, Is.EqualTo(new[] { "hello" }));
        var reasons = catalog.Failures.ToDictionary(f => Path.GetFileName(f.Location), f => f.Reason);
        Assert.Multiple(() =>
        {
            Assert.That(reasons["ThrowingPlugin"], Does.Contain("Register threw InvalidOperationException: this plugin is broken on purpose"));
            Assert.That(reasons["NeedsDependency"], Does.Contain("TestDependency"));
            Assert.That(reasons["Garbage"], Does.Contain("is not a .NET assembly"));
            Assert.That(reasons["Empty"], Does.Contain("no Empty.dll in the folder"));
        });
        Assert.That(reasons["NeedsDependency"], Does.Contain("needs TestDependency").And.Contain("copy the plugin's whole build output"),
            "a missing dependency is found at load time, not at the first call that needs it");
        Assert.That(catalog.Failures, Has.Count.EqualTo(4));
    }

    [Test]
    public void A_driver_name_two_plugins_provide_is_used_from_neither_whatever_the_folder_order()
    {
        Drop("HelloPlugin", "AHello");
        Drop("HelloPlugin", "ZHello");

        var catalog = Load();

        Assert.That(catalog.Drivers, Is.Empty);
        Assert.That(catalog.ContestedDrivers["hello"], Has.Count.EqualTo(2));
        Assert.That(catalog.Failures.Single().Reason, Does.Match("driver 'hello' is provided by HelloPlugin \\(.*AHello\\) and HelloPlugin \\(.*ZHello\\), so neither is used"));
        var error = Assert.Throws<ConfigException>(() => SiteConfigValidator.Validate(
            ConfigDocument.Load(TestSite.WriteConfig("[Device:x]\nDriver = hello\n"), new System.Collections.Hashtable()), catalog))!.Errors.Single();
        Assert.That(error.ToString(), Does.Contain("[Device:x] Driver: driver 'hello' is provided by HelloPlugin"));
    }

    [Test]
    public void A_named_plugin_directory_that_is_missing_or_is_a_plugin_folder_itself_is_reported()
    {
        var hello = Drop("HelloPlugin");
        var catalog = new PluginCatalog();
        var loader = new PluginLoader(NullLogger<PluginLoader>.Instance);

        loader.LoadDirectories([Path.Combine(_plugins, "nope"), hello], catalog, named: true);

        Assert.That(catalog.Failures.Select(f => f.Reason), Is.EqualTo(new[]
        {
            "the plugin directory does not exist; check --plugin-dir and [Common] PluginDirs",
            $"this is a plugin folder itself (it holds HelloPlugin.dll): name the folder that holds plugin folders, {_plugins}",
        }));
    }

    [Test]
    public void A_plugin_built_against_a_newer_shared_library_than_the_host_is_refused_with_what_to_build_against()
    {
        var reference = new System.Reflection.AssemblyName("Microsoft.Extensions.Logging.Abstractions") { Version = new Version(11, 0, 0, 0) };

        Assert.That(PluginLoader.SharedVersionProblem(reference, new Version(10, 0, 0, 0)),
            Is.EqualTo("was built against Microsoft.Extensions.Logging.Abstractions 11.0.0.0, newer than this host's 10.0.0.0: build it against 10.0 (the EnergyHub version you run)"));
        Assert.That(PluginLoader.SharedVersionProblem(reference, new Version(11, 0, 0, 0)), Is.Null);
        Assert.That(PluginLoader.SharedVersionProblem(reference, null), Does.Contain("which this host does not provide"));
    }

    private IMeter Hello(PluginCatalog catalog)
    {
        var driver = catalog.Drivers["hello"];
        var options = (EnergyHub.Options.DeviceOptions)Activator.CreateInstance(driver.OptionsType)!;
        return (IMeter)driver.Create(options, new EnergyHub.Plugins.DeviceContext("hello", NullLogger.Instance, TimeProvider.System, _plugins, new ServiceCollection().BuildServiceProvider()));
    }

    [Test]
    public async Task A_new_build_copied_over_a_loaded_plugin_in_place_cannot_pull_its_code_from_under_it()
    {
        var folder = Drop("HelloPlugin");
        var catalog = Load();
        // `cp` of another build over the loaded files: same paths, other bytes (here: nothing that is an assembly).
        foreach (var file in Directory.GetFiles(folder, "*.dll"))
        {
            var size = new FileInfo(file).Length;
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Write); // in place, as cp does: same inode
            stream.Write(new byte[size]);
        }

        // Its code is compiled only now, after the overwrite: from the bytes loaded, not from the file.
        var reading = await Hello(catalog).ReadAsync(CancellationToken.None);

        Assert.That(reading.Meter, Is.Not.Null, "the loaded plugin keeps running on its own bytes");

        // A reload reads the folder as it is now, not the image loaded before (which a path-keyed cache would hand back).
        using var reloaded = Load();
        Assert.That(reloaded.Plugins, Is.Empty);
        Assert.That(reloaded.Failures.Single().Reason, Does.Contain("HelloPlugin.dll"));
        catalog.Dispose();
    }

    [Test]
    public async Task The_host_loads_the_sample_plugin_and_polls_its_device()
    {
        Drop("HelloPlugin");
        var dir = Directory.CreateTempSubdirectory("energyhub-site-").FullName;
        var config = Path.Combine(dir, "config.ini");
        File.WriteAllText(config, $"""
            [Common]
            DataDir = data
            PluginDirs = {_plugins}
            [Logging]
            Dir =
            [Device:hello]
            Driver = hello
            PowerW = 250
            StepW = 1
            PollInterval = 100ms
            """);
        var loader = new SiteLoader(NullLoggerFactory.Instance);
        loader.PluginDirectories.Clear();
        var (site, _) = loader.Load(config);

        using var host = SiteHost.Build(site, NullLoggerFactory.Instance, TimeProvider.System);
        await host.StartAsync();
        var state = host.Services.GetRequiredService<SiteState>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        DeviceState hello;
        do
        {
            await Task.Delay(50);
            hello = state.Snapshot()["hello"];
        }
        while (hello.Reading?.Meter?.PowerW is not >= 252 && DateTime.UtcNow < deadline);
        await host.StopAsync();

        Assert.That(hello.Health, Is.EqualTo(DeviceHealth.Online));
        Assert.That(hello.Reading!.Meter!.PowerW, Is.GreaterThanOrEqualTo(252), "three or more polls, each 1 W higher");
        Assert.That(hello.DisplayName, Is.EqualTo("Hello meter"));
    }
}
