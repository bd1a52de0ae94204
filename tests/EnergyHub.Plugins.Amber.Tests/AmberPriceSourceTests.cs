using EnergyHub.Time;
using System.Net;
using EnergyHub.Core.Devices;
using EnergyHub.Options;
using EnergyHub.Plugins;
using EnergyHub.Site;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.Amber.Tests;

public sealed class AmberPriceSourceTests
{
    private static readonly DateTimeOffset Now = new(2025, 9, 7, 10, 2, 0, TimeSpan.Zero);
    private ManualTimeProvider _time = null!;
    private string _dataDir = null!;

    [SetUp]
    public void Build()
    {
        _time = new ManualTimeProvider(Now);
        _dataDir = Directory.CreateTempSubdirectory("energyhub-amber-").FullName;
    }

    private AmberPriceSource Driver(FakeApi api, string siteId = "01F5A5CRKMZ5BCX9P1S4V990AM") =>
        new(new AmberOptions { Driver = "amber", ApiKey = "psk_test", SiteId = siteId, BaseUrl = new Uri("http://127.0.0.1:9/v1") },
            new DeviceContext("prices", NullLogger.Instance, _time, _dataDir, new EmptyServices()), api);

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private static FakeApi Prices(int[]? statuses = null)
    {
        var calls = 0;
        return new FakeApi(_ =>
        {
            var status = statuses is null ? 200 : statuses[Math.Min(calls, statuses.Length - 1)];
            calls++;
            return status switch
            {
                200 => FakeApi.Json(FakeApi.Fixture("prices-current.json")),
                429 => FakeApi.Json("{}", HttpStatusCode.TooManyRequests, ("RateLimit-Reset", "120")),
                401 => FakeApi.Json("{}", HttpStatusCode.Unauthorized),
                202 => FakeApi.Json("[1,2,3]", HttpStatusCode.OK),
                _ => FakeApi.Json("not json at all", HttpStatusCode.OK),
            };
        });
    }

    [Test]
    public async Task Polling_often_fetches_once_per_fetch_interval_with_the_key_and_the_forecast_horizon()
    {
        var api = Prices();
        using var driver = Driver(api);
        for (var i = 0; i < 10; i++)
        {
            await driver.ReadAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(5));
        }
        Assert.That(api.Requests, Has.Count.EqualTo(1));
        Assert.That((await driver.ReadAsync(CancellationToken.None)).RawPayload, Is.EqualTo(FakeApi.Fixture("prices-current.json")), "Amber's body, for decision events");
        _time.Advance(TimeSpan.FromSeconds(15));
        await driver.ReadAsync(CancellationToken.None);
        Assert.That(api.Requests, Has.Count.EqualTo(2));
        Assert.That(api.Requests[0], Is.EqualTo("/v1/sites/01F5A5CRKMZ5BCX9P1S4V990AM/prices/current?next=288&previous=0 Bearer psk_test"));
    }

    [Test]
    public async Task A_failed_fetch_is_tried_again_after_30_s_not_after_the_whole_fetch_interval()
    {
        var api = Prices([500, 200]);
        using var driver = Driver(api);
        Assert.That(async () => await driver.ReadAsync(CancellationToken.None), Throws.InstanceOf<Exception>(), "nothing known yet");

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.That(async () => await driver.ReadAsync(CancellationToken.None), Throws.InstanceOf<Exception>());
        Assert.That(api.Requests, Has.Count.EqualTo(1), "not before 30 s");
        _time.Advance(TimeSpan.FromSeconds(1));
        var reading = await driver.ReadAsync(CancellationToken.None);

        Assert.That(api.Requests, Has.Count.EqualTo(2));
        Assert.That(reading.Prices!.Intervals, Is.Not.Empty);
    }

    [Test]
    public async Task A_429_waits_as_long_as_the_server_says_and_keeps_the_prices_it_had()
    {
        var api = Prices([200, 429, 200]);
        using var driver = Driver(api);
        var first = await driver.ReadAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(1));
        var limited = await driver.ReadAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(119));
        await driver.ReadAsync(CancellationToken.None);
        Assert.That(api.Requests, Has.Count.EqualTo(2), "nothing asked during the 120 s reset");
        _time.Advance(TimeSpan.FromSeconds(1));
        var fresh = await driver.ReadAsync(CancellationToken.None);

        Assert.That(limited.Timestamp, Is.EqualTo(first.Timestamp), "the kept prices carry their own fetch time");
        Assert.That(api.Requests, Has.Count.EqualTo(3));
        Assert.That(fresh.Timestamp, Is.EqualTo(Now + TimeSpan.FromMinutes(3)));
    }

    [Test]
    public void Without_any_prices_an_invalid_key_is_an_error_that_says_what_to_check()
    {
        using var driver = Driver(Prices([401]));
        Assert.That(async () => await driver.ReadAsync(CancellationToken.None),
            Throws.InstanceOf<IOException>().With.Message.Contains("rejected the API key").And.Message.Contains("ENERGYHUB_Device__prices__ApiKey"));
    }

    [Test]
    public async Task A_restart_without_network_serves_the_cached_prices_with_their_age()
    {
        using (var online = Driver(Prices()))
        {
            await online.ReadAsync(CancellationToken.None);
        }
        _time.Advance(TimeSpan.FromMinutes(10));
        using var offline = Driver(new FakeApi(_ => throw new HttpRequestException("Connection refused")));

        var reading = await offline.ReadAsync(CancellationToken.None);

        Assert.That(reading.Timestamp, Is.EqualTo(Now));
        Assert.That(reading.Prices!.Intervals, Is.Not.Empty);
    }

    [Test]
    public async Task Prices_turn_stale_after_the_configured_time_when_fetches_keep_failing()
    {
        var api = Prices([200, 999]);
        var driver = Driver(api);
        var options = new AmberOptions { Driver = "amber", ApiKey = "k" };
        var devices = new DeviceRegistry([new DeviceSession(driver, "amber", options, _time)]);
        var site = new SiteState(devices, _time);
        var poller = new DevicePoller(devices.Sessions.Single(), site, _time, NullLogger.Instance);

        await poller.PollOnceAsync(CancellationToken.None);
        for (var minute = 1; minute <= 15; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            await poller.PollOnceAsync(CancellationToken.None);
        }
        Assert.That(site.Snapshot()["prices"].Health, Is.EqualTo(DeviceHealth.Online), "15 minutes old: not yet stale");
        _time.Advance(TimeSpan.FromMinutes(1));
        await poller.PollOnceAsync(CancellationToken.None);

        var state = site.Snapshot()["prices"];
        Assert.That(state.Health, Is.EqualTo(DeviceHealth.Stale));
        Assert.That(state.Reading!.Prices, Is.Not.Null, "the last prices are still there, with their age");
        Assert.That(site.Snapshot().Fresh("prices", TimeSpan.FromHours(1)), Is.Null, "services fall back to their fail-safe");
        await devices.DisposeAsync();
    }

    [Test]
    public async Task Without_a_site_id_the_only_active_site_is_used_and_several_are_listed()
    {
        var one = new FakeApi(r => r.RequestUri!.AbsolutePath.EndsWith("/sites", StringComparison.Ordinal)
            ? FakeApi.Json(FakeApi.Fixture("sites.json"))
            : FakeApi.Json(FakeApi.Fixture("prices-current.json")));
        using (var driver = Driver(one, siteId: ""))
        {
            await driver.ReadAsync(CancellationToken.None);
        }
        Assert.That(one.Requests[1], Does.StartWith("/v1/sites/01F5A5CRKMZ5BCX9P1S4V990AM/prices/current"));

        var sites = FakeApi.Fixture("sites.json").Trim().TrimStart('[').TrimEnd(']');
        var two = new FakeApi(_ => FakeApi.Json($"[{sites},{sites.Replace("01F5A5CRKMZ5BCX9P1S4V990AM", "01HXYZSECONDSITE000000000", StringComparison.Ordinal)}]"));
        _dataDir = Directory.CreateTempSubdirectory("energyhub-amber-").FullName; // no cached prices to fall back on
        using var ambiguous = Driver(two, siteId: "");
        Assert.That(async () => await ambiguous.ReadAsync(CancellationToken.None), Throws.InstanceOf<IOException>()
            .With.Message.Contains("2 active site(s), so SiteId must be set in [Device:prices]")
            .And.Message.Contains("01HXYZSECONDSITE000000000 (NMI 3052282872, Jemena, active)"));
    }

    [Test]
    public async Task A_body_of_another_shape_keeps_the_cached_prices_and_says_what_is_wrong()
    {
        var api = Prices([200, 202]);
        using var driver = Driver(api);
        var good = await driver.ReadAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));

        var kept = await driver.ReadAsync(CancellationToken.None);

        Assert.That(api.Requests, Has.Count.EqualTo(2), "the second fetch was made and answered [1,2,3]");
        Assert.That(kept.Prices, Is.SameAs(good.Prices), "the cached prices are served");
        Assert.That(kept.Timestamp, Is.EqualTo(good.Timestamp), "with their original fetch time, so they age");
    }

    [Test]
    public async Task A_price_cache_that_cannot_be_saved_is_not_a_failed_fetch()
    {
        var blocker = Path.Combine(_dataDir, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "");
        var api = Prices();
        using var driver = new AmberPriceSource(new AmberOptions { Driver = "amber", ApiKey = "psk_test", SiteId = "01F5A5CRKMZ5BCX9P1S4V990AM", BaseUrl = new Uri("http://127.0.0.1:9/v1") },
            new DeviceContext("prices", NullLogger.Instance, _time, blocker, new EmptyServices()), api);

        var reading = await driver.ReadAsync(CancellationToken.None);

        Assert.That(reading.Prices!.Intervals, Is.Not.Empty);
        Assert.That(reading.Timestamp, Is.EqualTo(Now), "fresh prices, though the cache file under a file cannot be written");
    }
}
